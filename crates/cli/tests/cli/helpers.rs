//! Runs the real `madoguchi` binary against a test database, and reads what it stored.
//!
//! Each child gets a clean environment: the test database's URL, a temporary working directory
//! (so no `.env` is read and `./var` lands there), no other `MADOGUCHI_*` variable, no
//! `LC_ALL`/`LC_MESSAGES`/`SUDO_USER`/`LOGNAME`, `LANG` chosen by the test and `USER=tester`.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::process::Command;

use chrono::{NaiveDate, Utc};
use madoguchi_domain::calendar;
use madoguchi_persistence::accounts::{self, Account};
use madoguchi_persistence::db::PooledConn;
use madoguchi_persistence::members::{self, Member};
use madoguchi_persistence::tenants::{self, Tenant};
use madoguchi_persistence::testing::TestDatabase;

/// The tenant most tests use (a valid check digit).
pub const INSURER: &str = "06130090";
/// A second valid insurer number.
pub const OTHER_INSURER: &str = "01130012";
pub const TENANT_NAME: &str = "窓口テスト健康保険組合";

pub const BOM: &[u8] = b"\xef\xbb\xbf";
pub const ROSTER_HEADER: &str = "member_code,family_name,given_name,family_name_kana,given_name_kana,birth_date,postal_code,address";

pub const JA: &str = "ja_JP.UTF-8";
pub const EN: &str = "en_US.UTF-8";

pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// Today in Japan, as postcards count it.
pub fn today_jst() -> NaiveDate {
    Utc::now().with_timezone(&calendar::Tokyo).date_naive()
}

/// What the audit trail names as the actor of these tests' commands.
pub fn operator() -> String {
    let host = hostname::get()
        .expect("host name")
        .to_string_lossy()
        .into_owned();
    format!("operator:tester@{host}")
}

/// A `madoguchi` command with the clean environment described above.
pub fn command(dir: &Path, database_url: &str, lang: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_madoguchi"));
    cmd.current_dir(dir);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("MADOGUCHI_") {
            cmd.env_remove(name);
        }
    }
    // The audit actor is `SUDO_USER`, else `USER`, else `LOGNAME`: only `USER` may speak.
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("SUDO_USER")
        .env_remove("LOGNAME")
        .env("LANG", lang)
        .env("USER", "tester")
        .env("MADOGUCHI_DATABASE_URL", database_url);
    cmd
}

/// One finished run: what the operator saw.
pub struct Run {
    pub backend: &'static str,
    pub args: Vec<String>,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn exec(backend: &'static str, mut cmd: Command, args: &[&str]) -> Self {
        let out = cmd.args(args).output().expect("run madoguchi");
        Self {
            backend,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn success(self) -> Self {
        assert_eq!(self.code, Some(0), "expected exit 0\n{self}");
        self
    }

    #[track_caller]
    pub fn failure(self, code: i32) -> Self {
        assert_eq!(self.code, Some(code), "expected exit {code}\n{self}");
        self
    }

    #[track_caller]
    pub fn stdout_has(self, text: &str) -> Self {
        assert!(self.stdout.contains(text), "stdout lacks {text:?}\n{self}");
        self
    }

    #[track_caller]
    pub fn stderr_has(self, text: &str) -> Self {
        assert!(self.stderr.contains(text), "stderr lacks {text:?}\n{self}");
        self
    }

    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] madoguchi {}\nexit: {:?}\n--- stdout\n{}--- stderr\n{}",
            self.backend,
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }
}

/// One backend's database and a working directory with no `.env`.
pub struct Setup {
    pub db: TestDatabase,
    pub dir: tempfile::TempDir,
}

/// Declares the CLI test `fn NAME(s: Setup)` as two test cases, `NAME::sqlite` and
/// `NAME::postgres`, so that a failure on one backend never hides the other's result. The
/// PostgreSQL case passes, saying it was skipped, when `MADOGUCHI_TEST_POSTGRES_URL` is unset.
/// `each_backend!(NAME, only: sqlite)` declares the SQLite case alone.
macro_rules! each_backend {
    ($name:ident) => {
        $crate::helpers::each_backend!(@cases $name, sqlite postgres);
    };
    ($name:ident, only: sqlite) => {
        $crate::helpers::each_backend!(@cases $name, sqlite);
    };
    (@cases $name:ident, $($backend:ident)+) => {
        mod $name {
            $($crate::helpers::each_backend!(@case $backend, $name);)+
        }
    };
    (@case sqlite, $name:ident) => {
        #[test]
        fn sqlite() {
            let db = madoguchi_persistence::testing::TestDatabase::sqlite();
            super::$name($crate::helpers::Setup::new(db));
        }
    };
    (@case postgres, $name:ident) => {
        #[test]
        fn postgres() {
            if let Some(db) = madoguchi_persistence::testing::TestDatabase::postgres_from_env() {
                super::$name($crate::helpers::Setup::new(db));
            }
        }
    };
}
pub(crate) use each_backend;

impl Setup {
    /// The database and a new working directory.
    pub fn new(db: TestDatabase) -> Self {
        Self {
            db,
            dir: tempfile::tempdir().expect("working directory"),
        }
    }
}

impl Setup {
    pub fn backend(&self) -> &'static str {
        self.db.backend
    }

    pub fn command(&self, lang: &str) -> Command {
        command(self.dir.path(), &self.db.url, lang)
    }

    /// Runs with `LANG=ja_JP.UTF-8`.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::exec(self.backend(), self.command(JA), args)
    }

    /// Runs with `LANG=en_US.UTF-8`.
    pub fn run_en(&self, args: &[&str]) -> Run {
        Run::exec(self.backend(), self.command(EN), args)
    }

    /// A path in the working directory.
    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Writes a file into the working directory and returns its path.
    pub fn write(&self, name: &str, contents: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write test file");
        path
    }

    pub fn conn(&self) -> PooledConn {
        self.db.conn()
    }

    pub fn add_tenant(&self) {
        self.run(&[
            "tenant",
            "add",
            "--insurer-number",
            INSURER,
            "--name",
            TENANT_NAME,
        ])
        .success();
    }

    pub fn import(&self, file: &str, extra: &[&str]) -> Run {
        let mut args = vec!["members", "import", "--tenant", INSURER, file];
        args.extend_from_slice(extra);
        self.run(&args).success()
    }

    /// The tenant with the roster of `roster-utf8-bom.csv` (A-0001, A-0002, A-0003).
    pub fn tenant_with_roster(&self) {
        self.add_tenant();
        self.import(&fixture("roster-utf8-bom.csv"), &[]);
    }

    /// Runs `credentials issue` into a new file of the working directory.
    pub fn issue(&self, out: &str, extra: &[&str]) -> Run {
        let out = self.path(out);
        let mut args = vec!["credentials", "issue", "--tenant", INSURER, "--out", &out];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    pub fn tenant(&self) -> Tenant {
        self.find_tenant(INSURER)
            .unwrap_or_else(|| panic!("[{}] tenant {INSURER} stored", self.backend()))
    }

    pub fn find_tenant(&self, insurer_number: &str) -> Option<Tenant> {
        tenants::find_by_insurer_number(&mut self.conn(), insurer_number).expect("read tenants")
    }

    pub fn members(&self) -> Vec<Member> {
        members::list(&mut self.conn(), &self.tenant().id).expect("read members")
    }

    pub fn member(&self, code: &str) -> Member {
        members::find_by_code(&mut self.conn(), &self.tenant().id, code)
            .expect("read member")
            .unwrap_or_else(|| panic!("[{}] member {code} stored", self.backend()))
    }

    pub fn account(&self, code: &str) -> Option<Account> {
        accounts::find_by_member(&mut self.conn(), &self.member(code).id).expect("read account")
    }

    #[track_caller]
    pub fn existing_account(&self, code: &str) -> Account {
        self.account(code)
            .unwrap_or_else(|| panic!("[{}] {code} has an account", self.backend()))
    }
}

/// A postcard CSV as written by `credentials issue` or `account reissue`.
pub struct Postcards {
    pub header: Vec<String>,
    pub rows: Vec<HashMap<String, String>>,
}

impl Postcards {
    /// Parses UTF-8 text (a leading BOM is the caller's to check and strip).
    pub fn parse(text: &str) -> Self {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("postcard header")
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                let r = r.expect("postcard row");
                header
                    .iter()
                    .cloned()
                    .zip(r.iter().map(str::to_owned))
                    .collect()
            })
            .collect();
        Self { header, rows }
    }

    /// Reads a UTF-8 postcard file, which must start with a BOM.
    #[track_caller]
    pub fn read(path: &str) -> Self {
        let bytes = std::fs::read(path).expect("postcard file");
        assert!(bytes.starts_with(BOM), "{path} starts with a UTF-8 BOM");
        Self::parse(std::str::from_utf8(&bytes[BOM.len()..]).expect("UTF-8 postcard file"))
    }

    pub fn column(&self, name: &str) -> Vec<&str> {
        self.rows.iter().map(|r| r[name].as_str()).collect()
    }

    #[track_caller]
    pub fn row(&self, member_code: &str) -> &HashMap<String, String> {
        self.rows
            .iter()
            .find(|r| r["member_code"] == member_code)
            .unwrap_or_else(|| panic!("postcard for {member_code}"))
    }
}
