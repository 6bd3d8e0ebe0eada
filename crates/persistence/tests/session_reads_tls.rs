//! The session read's asynchronous connections over TLS (`reads::SessionReads`, ADR 0019),
//! against PostgreSQL clusters of this test's own: made with initdb in a temporary folder,
//! `ssl = on` with certificates made here with `openssl`, password logins over TCP with or
//! without TLS. Whether a connection uses TLS is read from `pg_stat_ssl`, and a connection
//! without TLS, which the server accepts, is the control. Each cluster is stopped and removed
//! at the end, also when a check fails.
//!
//! Skipped, saying why, without PostgreSQL's initdb and pg_ctl or `openssl`, or as root
//! without a `postgres` user (initdb refuses root).

use std::net::TcpListener;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::onboarding::AccountState;
use madoguchi_domain::roster::{RosterEntry, RosterInput};
use madoguchi_persistence::db::Target;
use madoguchi_persistence::reads::SessionReads;
use madoguchi_persistence::{StoreError, accounts, members, tenants};
use tokio_postgres::{Client, NoTls};

const PASSWORD: &str = "tls-test-password";

/// PostgreSQL's server programs, and whether they run as the `postgres` user.
#[derive(Clone)]
struct Programs {
    bin: PathBuf,
    as_postgres: bool,
}

impl Programs {
    /// Those of the newest PostgreSQL under /usr/lib/postgresql (Debian keeps them out of
    /// PATH), else on PATH; `Err` says why the test cannot run here.
    fn find() -> Result<Self, String> {
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let version = entry.file_name().to_str()?.parse().ok()?;
                Some((version, entry.path().join("bin")))
            })
            .collect();
        versions.sort();
        let on_path = std::env::var_os("PATH")
            .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
            .unwrap_or_default();
        let bin = versions
            .into_iter()
            .rev()
            .map(|(_, bin)| bin)
            .chain(on_path)
            .find(|bin| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
            .ok_or(
                "PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)",
            )?;
        let openssl = Command::new("openssl").arg("version").output();
        if !openssl.is_ok_and(|out| out.status.success()) {
            return Err("openssl is not installed".into());
        }
        let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        let postgres = || Command::new("id").args(["-u", "postgres"]).output();
        if root && !postgres().is_ok_and(|out| out.status.success()) {
            return Err("running as root and there is no postgres user for initdb".into());
        }
        Ok(Self {
            bin,
            as_postgres: root,
        })
    }

    /// Runs `program` in `dir`, as `postgres` when the test runs as root; `Err` holds its
    /// output.
    fn run<'a>(
        &self,
        dir: &Path,
        program: &str,
        args: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), String> {
        let args: Vec<&str> = args.into_iter().collect();
        let path = match program {
            "openssl" => PathBuf::from(program),
            _ => self.bin.join(program),
        };
        let mut command = match self.as_postgres {
            true => Command::new("runuser"),
            false => Command::new(&path),
        };
        if self.as_postgres {
            command.args(["-u", "postgres", "--"]).arg(&path);
        }
        let out = command
            .args(&args)
            .current_dir(dir)
            .output()
            .map_err(|e| format!("{program}: {e}"))?;
        match out.status.success() {
            true => Ok(()),
            false => Err(format!(
                "{program} {args:?}: {}\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    }
}

/// The server's certificate.
#[derive(Clone, Copy)]
enum Certificates {
    /// Signed by a CA of its own (`ca.pem`), for `localhost` and `127.0.0.1`; and another CA
    /// (`other-ca.pem`) that signs nothing here.
    Signed,
    /// The PostgreSQL manual's simple one: self-signed, a CA itself, naming `localhost` in its
    /// CN alone; the client trusts it as its own root.
    SelfSigned,
}

/// A private cluster; stopped on drop, and its folder removed.
struct Cluster {
    programs: Programs,
    port: u16,
    // Dropped after `drop` has stopped the server.
    dir: tempfile::TempDir,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.path("data/postmaster.pid").exists() {
            let data = self.path("data");
            let stop = format!("-D {} -m immediate -w -t 60 stop", data.display());
            if let Err(e) = self.run("pg_ctl", stop.split_whitespace()) {
                eprintln!("stopping the test cluster: {e}");
            }
        }
    }
}

impl Cluster {
    /// initdb, the certificates, and the server started with TLS on a free port.
    fn start(programs: Programs, certificates: Certificates) -> Self {
        // Under /tmp: a short path without spaces, for the socket and pg_ctl's options.
        let dir = tempfile::Builder::new()
            .prefix("madoguchi-tls-")
            .tempdir_in("/tmp")
            .expect("temporary folder");
        if programs.as_postgres {
            let chown = Command::new("chown")
                .arg("postgres")
                .arg(dir.path())
                .status();
            assert!(chown.is_ok_and(|s| s.success()), "chown postgres");
        }
        let mut cluster = Self {
            programs,
            port: 0,
            dir,
        };
        match certificates {
            Certificates::Signed => cluster.signed(),
            Certificates::SelfSigned => cluster.self_signed(),
        }
        // PostgreSQL refuses a key others may read.
        std::fs::set_permissions(cluster.path("server.key"), PermissionsExt::from_mode(0o600))
            .expect("chmod server.key");
        cluster.write("password", PASSWORD);
        let dir = cluster.dir.path().display().to_string();
        let init = format!("-D {dir}/data -U postgres -E UTF8 --no-locale --auth=trust");
        cluster
            .run(
                "initdb",
                init.split_whitespace().chain(["--pwfile=password"]),
            )
            .unwrap_or_else(|e| panic!("initdb: {e}"));
        // The socket for the test's own connections; TCP with a password, TLS or not: the
        // server never refuses plain text, so only the client can have kept it out.
        cluster.write(
            "pg_hba.conf",
            "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n",
        );
        let mut last = String::new();
        // A free port can be taken between the look and the start: three tries.
        for _ in 0..3 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let start = format!("-D {dir}/data -l {dir}/postgresql.log -w -t 60 start -o");
            let options = format!(
                "-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off \
                 -c hba_file={dir}/pg_hba.conf -c ssl=on -c ssl_cert_file={dir}/server.crt \
                 -c ssl_key_file={dir}/server.key"
            );
            let args = start.split_whitespace().chain([options.as_str()]);
            match cluster.run("pg_ctl", args) {
                Ok(()) => {
                    cluster.port = port;
                    return cluster;
                }
                Err(e) => {
                    let log = std::fs::read_to_string(cluster.path("postgresql.log"));
                    last = format!("{e}\n{}", log.unwrap_or_default());
                }
            }
        }
        panic!("PostgreSQL did not start: {last}");
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }

    fn run<'a>(
        &self,
        program: &str,
        args: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), String> {
        self.programs.run(self.dir.path(), program, args)
    }

    /// `openssl` with `args`, split at spaces.
    fn openssl(&self, args: &str) {
        self.run("openssl", args.split_whitespace())
            .unwrap_or_else(|e| panic!("openssl: {e}"));
    }

    /// A self-signed CA certificate `NAME.pem` (key `NAME.key`) naming `cn`, with the
    /// extensions of OpenSSL's `v3_ca` and `extra`.
    fn ca(&self, name: &str, cn: &str, extra: &str) {
        self.write(
            &format!("{name}.cnf"),
            &format!(
                "[req]\nprompt = no\ndistinguished_name = dn\nx509_extensions = ca\n\
                 [dn]\nCN = {cn}\n\
                 [ca]\nbasicConstraints = critical, CA:TRUE\nsubjectKeyIdentifier = hash\n\
                 authorityKeyIdentifier = keyid:always, issuer\n{extra}"
            ),
        );
        self.openssl(&format!(
            "req -x509 -config {name}.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
             -keyout {name}.key -out {name}.pem -days 2"
        ));
    }

    fn signed(&self) {
        let usage = "keyUsage = critical, keyCertSign, cRLSign\n";
        self.ca("ca", "Madoguchi test CA", usage);
        self.ca("other-ca", "Madoguchi test other CA", usage);
        self.write(
            "server.cnf",
            "[req]\nprompt = no\ndistinguished_name = dn\n[dn]\nCN = localhost\n\
             [server]\nbasicConstraints = critical, CA:FALSE\n\
             keyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\n\
             subjectAltName = DNS:localhost, IP:127.0.0.1\n\
             subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n",
        );
        self.openssl(
            "req -new -config server.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
             -keyout server.key -out server.csr",
        );
        self.openssl(
            "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 2 -days 2 \
             -extfile server.cnf -extensions server -out server.crt",
        );
    }

    /// As `openssl req -new -x509 -subj /CN=localhost` makes it with Debian's openssl.cnf.
    fn self_signed(&self) {
        self.ca("server", "localhost", "");
        for (from, to) in [("server.pem", "server.crt"), ("server.pem", "ca.pem")] {
            std::fs::copy(self.path(from), self.path(to)).expect("copy the certificate");
        }
    }

    /// The test's own connection, over the Unix socket.
    async fn admin(&self, dbname: &str) -> Client {
        let (client, connection) = tokio_postgres::Config::new()
            .host_path(self.dir.path())
            .port(self.port)
            .user("postgres")
            .dbname(dbname)
            .connect(NoTls)
            .await
            .expect("the test's connection over the socket");
        tokio::spawn(connection);
        client
    }

    /// A URL of the database over TCP, as a deployment would write it; `name` is the
    /// connection's application name.
    fn url(&self, host: &str, name: &str, params: &str) -> String {
        format!(
            "postgres://postgres:{PASSWORD}@{host}:{}/madoguchi?application_name={name}{params}",
            self.port
        )
    }

    /// The database migrated, with one member's account; its ID.
    async fn account(&self) -> String {
        self.admin("postgres")
            .await
            .batch_execute("CREATE DATABASE madoguchi")
            .await
            .expect("CREATE DATABASE");
        let url = format!(
            "postgres://postgres@/madoguchi?host={}&port={}",
            self.dir.path().display(),
            self.port
        );
        let pool = madoguchi_persistence::pool(&url, 1).expect("the blocking pool");
        let mut conn = pool.get().expect("a blocking connection");
        let conn = &mut *conn;
        madoguchi_persistence::migrate(conn).expect("migrations");
        let now = chrono::Utc::now();
        let number = InsurerNumber::parse("06130090").expect("insurer number");
        let tenant = tenants::insert(conn, &number, "日本電気健康保険組合", now).expect("tenant");
        let input = RosterInput {
            member_code: "1234-5678-00",
            family_name: "髙橋",
            given_name: "一郎",
            family_name_kana: "",
            given_name_kana: "",
            birth_date: "19790822",
            postal_code: "",
            address: "",
        };
        let entry = RosterEntry::parse(input, now.date_naive()).expect("roster entry");
        members::import(conn, &tenant.id, &[entry], false, now).expect("import");
        let member = members::find_by_code(conn, &tenant.id, "1234-5678-00")
            .expect("member")
            .expect("imported");
        accounts::create(conn, &member, AccountState::Active, now)
            .expect("account")
            .id
    }
}

/// The asynchronous path's connections for `url`, which it must take.
fn reads(url: &str) -> SessionReads {
    SessionReads::for_target(&Target::Postgres(url.to_owned()), 1)
        .unwrap_or_else(|| panic!("the asynchronous path takes {url}"))
}

/// The session read of `account` through `reads`, with its member's page (`GET /me`): the
/// account's ID it found, or `None` when it leaves the read to the blocking path.
async fn read(reads: &SessionReads, account: &str) -> Result<Option<String>, StoreError> {
    let read = reads.session(account, None, Some(chrono::Utc::now()));
    let rows = tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .expect("an answer within 30 s")?;
    Ok(rows.map(|((view, _), menu)| {
        assert_eq!(menu.expect("the page's part").unread, 0);
        view.expect("the account").account.id
    }))
}

/// Whether each open connection named `name` uses TLS, and its version.
async fn tls(admin: &Client, name: &str) -> Vec<(bool, Option<String>)> {
    admin
        .query(
            "SELECT s.ssl, s.version FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE a.application_name = $1",
            &[&name],
        )
        .await
        .expect("pg_stat_ssl")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

/// Whether the one connection named `name` uses TLS.
async fn over_tls(admin: &Client, name: &str) -> bool {
    let seen = tls(admin, name).await;
    matches!(seen.as_slice(), [(true, Some(v))] if v.starts_with("TLSv1."))
}

fn programs() -> Option<Programs> {
    Programs::find()
        .map_err(|why| eprintln!("skipped: {why}"))
        .ok()
}

#[tokio::test]
async fn session_reads_over_tls_as_libpq_would() {
    let Some(programs) = programs() else { return };
    let cluster = Cluster::start(programs, Certificates::Signed);
    let id = cluster.account().await;
    let admin = cluster.admin("madoguchi").await;
    let ca = cluster.path("ca.pem").display().to_string();
    let other_ca = cluster.path("other-ca.pem").display().to_string();

    // Read over TLS: pg_stat_ssl says so of the very connection that read.
    for (host, name, params) in [
        ("127.0.0.1", "require", "&sslmode=require".to_owned()),
        // The default, `prefer`: TLS since the server offers it; SCRAM bound to the channel.
        ("127.0.0.1", "prefer", "&channel_binding=require".to_owned()),
        (
            "127.0.0.1",
            "verify-full-ip",
            format!("&sslmode=verify-full&sslrootcert={ca}"),
        ),
        (
            "localhost",
            "verify-full-dns",
            format!("&sslmode=verify-full&sslrootcert={ca}"),
        ),
        // verify-ca checks the chain, not the name.
        (
            "db.example.jp",
            "verify-ca",
            format!("&hostaddr=127.0.0.1&sslmode=verify-ca&sslrootcert={ca}"),
        ),
    ] {
        let reads = reads(&cluster.url(host, name, &params));
        let found = read(&reads, &id).await;
        assert_eq!(
            found.as_ref().ok(),
            Some(&Some(id.clone())),
            "{name}: {found:?}"
        );
        let seen = tls(&admin, name).await;
        assert!(over_tls(&admin, name).await, "{name}: over TLS: {seen:?}");
        eprintln!("{name}: read the account over {:?}", seen[0].1);
    }

    // The control: `disable` reads in plain text, and pg_stat_ssl tells it apart.
    let plain = reads(&cluster.url("127.0.0.1", "disable", "&sslmode=disable"));
    assert_eq!(read(&plain, &id).await.ok(), Some(Some(id.clone())));
    assert_eq!(tls(&admin, "disable").await, [(false, None)]);
    eprintln!("disable: read the account in plain text");

    // The server's answer is not a refusal of its TLS: an error (503), and the path still
    // serves.
    let wrong = cluster
        .url("127.0.0.1", "wrong-password", "&sslmode=require")
        .replace(PASSWORD, "wrong");
    let reads_wrong = reads(&wrong);
    let error = read(&reads_wrong, &id).await.expect_err("a wrong password");
    assert!(error.is_unavailable() && reads_wrong.serves(), "{error}");
    eprintln!("wrong-password: {error}");

    // A certificate that fails the check: never accepted here, and no connection goes on in
    // plain text, though the server would take one. The read is left to libpq, which refuses
    // these too: the server answers 503 `unavailable`.
    for (host, name, params) in [
        (
            "127.0.0.1",
            "verify-full-other-ca",
            format!("&sslmode=verify-full&sslrootcert={other_ca}"),
        ),
        (
            "db.example.jp",
            "verify-full-wrong-name",
            format!("&hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={ca}"),
        ),
        (
            "127.0.0.1",
            "verify-ca-other-ca",
            format!("&sslmode=verify-ca&sslrootcert={other_ca}"),
        ),
        // A root certificate given with `require` is checked too (libpq's rule).
        (
            "127.0.0.1",
            "require-other-ca",
            format!("&sslmode=require&sslrootcert={other_ca}"),
        ),
    ] {
        let url = cluster.url(host, name, &params);
        let reads = reads(&url);
        let left = read(&reads, &id).await;
        assert!(matches!(left, Ok(None)), "{name}: left to libpq: {left:?}");
        assert!(!reads.serves(), "{name}: no longer served here");
        let seen = tls(&admin, name).await;
        assert!(seen.is_empty(), "{name}: no connection: {seen:?}");
        let libpq = url.replace("application_name=", "application_name=libpq-");
        let refused = Target::parse(&libpq)
            .and_then(|target| target.connect())
            .err();
        let refused = refused.unwrap_or_else(|| panic!("{name}: libpq refuses it too"));
        assert!(
            refused.is_unavailable() && refused.to_string().contains("certificate"),
            "{name}: 503 `unavailable` for the certificate: {refused}"
        );
        eprintln!("{name}: left to libpq, which refuses it: {refused}");
    }
}

#[tokio::test]
async fn libpq_decides_where_rustls_refuses_the_server() {
    let Some(programs) = programs() else { return };
    let cluster = Cluster::start(programs, Certificates::SelfSigned);
    let id = cluster.account().await;
    let admin = cluster.admin("madoguchi").await;
    let root = cluster.path("ca.pem").display().to_string();

    // Unchecked, the certificate serves.
    let unchecked = reads(&cluster.url("localhost", "unchecked", "&sslmode=require"));
    assert_eq!(read(&unchecked, &id).await.ok(), Some(Some(id.clone())));
    assert!(over_tls(&admin, "unchecked").await);

    // Checked, rustls refuses a CA as the server's own certificate and reads names only from
    // subjectAltName; OpenSSL, and so libpq, accepts both. The read is left to libpq, which
    // connects over TLS, as the rest of the server's queries do.
    for mode in ["verify-full", "verify-ca", "require"] {
        let params = format!("&sslmode={mode}&sslrootcert={root}");
        let url = cluster.url("localhost", mode, &params);
        let reads = reads(&url);
        let left = read(&reads, &id).await;
        assert!(matches!(left, Ok(None)), "{mode}: left to libpq: {left:?}");
        assert!(!reads.serves());
        let libpq = url.replace("application_name=", "application_name=libpq-");
        let conn = Target::parse(&libpq).and_then(|target| target.connect());
        assert!(conn.is_ok(), "{mode}: libpq accepts it: {:?}", conn.err());
        let name = format!("libpq-{mode}");
        assert!(over_tls(&admin, &name).await, "{mode}: libpq over TLS");
        eprintln!("{mode}: left to libpq, which reads over TLS");
    }
}
