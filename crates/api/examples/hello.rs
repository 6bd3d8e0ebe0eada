//! A bare actix-web hello-world: the baseline that `make bench` (scripts/bench-api.sh) divides
//! the `GET /api/v1/me` rate by. Same actix-web (version and features) and the same worker
//! count as `madoguchi serve` (actix-web's default: one per core), nothing else.
//!
//! `cargo run --release -p madoguchi-api --example hello -- 127.0.0.1:8081`

use actix_web::{App, HttpResponse, HttpServer, get};

#[get("/")]
async fn hello() -> HttpResponse {
    HttpResponse::Ok().body("Hello world!")
}

fn main() -> std::io::Result<()> {
    let bind = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8081".to_owned());
    actix_web::rt::System::new().block_on(async {
        HttpServer::new(|| App::new().service(hello))
            .bind(bind)?
            .run()
            .await
    })
}
