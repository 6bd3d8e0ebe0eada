//! The command line of DESIGN §4. Usage errors exit with status 2 (clap's own).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "madoguchi",
    version,
    about = "Madoguchi (窓口): the member portal of a health insurance society, and its operator tools"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the API and the SPA.
    Serve {
        /// Seed a demo tenant when the database is empty and print demo postcards.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Tenants (one kenpo each).
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// The member roster.
    #[command(subcommand)]
    Members(MembersCommand),
    /// Temporary credentials for postcards.
    #[command(subcommand)]
    Credentials(CredentialsCommand),
    /// One member's account.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Print the audit trail of a tenant, oldest first.
    Audit {
        #[arg(long, value_name = "INSURER_NUMBER")]
        tenant: String,
        #[arg(long, value_name = "CODE")]
        member: Option<String>,
        /// YYYY-MM-DD (JST) or an RFC 3339 time.
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Maintenance windows.
    #[command(subcommand)]
    Maintenance(MaintenanceCommand),
    /// お知らせ: notices to a tenant's members.
    #[command(subcommand)]
    Notices(crate::commands::notices::NoticesCommand),
    /// 医療費のお知らせ: import what the kenpo paid per month, list the imports.
    #[command(subcommand, name = "medical-expenses")]
    MedicalExpenses(crate::commands::medical::MedicalCommand),
    /// Print the OpenAPI document of the API as YAML.
    Openapi,
    /// Copy the SQLite database consistently while servers run (PostgreSQL: use pg_dump).
    Backup {
        /// The copy to create (never overwritten; mode 0600).
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Add a tenant.
    Add {
        #[arg(long, value_name = "INSURER_NUMBER")]
        insurer_number: String,
        #[arg(long)]
        name: String,
        /// Plain-text terms of use for this tenant (else the deployment's default applies).
        #[arg(long, value_name = "FILE")]
        terms: Option<PathBuf>,
    },
    /// Change a tenant's settings.
    Set {
        #[arg(long, value_name = "INSURER_NUMBER")]
        insurer_number: String,
        #[arg(long, value_name = "MINUTES")]
        lockout_minutes: Option<u32>,
        #[arg(long, value_name = "DAYS")]
        postcard_days: Option<u32>,
        #[arg(long, value_name = "on|off")]
        nightly_closure: Option<OnOff>,
        /// The kenpo's help desk, shown to members after sign-in, on the lock and maintenance
        /// screens and in every e-mail, and printed on postcards. An empty value clears it.
        #[arg(long, value_name = "TEXT")]
        contact_name: Option<String>,
        #[arg(long, value_name = "TEXT")]
        contact_phone: Option<String>,
        /// Opening hours, e.g. "平日 9:00〜17:00".
        #[arg(long, value_name = "TEXT")]
        contact_hours: Option<String>,
        #[arg(long, value_name = "URL")]
        contact_url: Option<String>,
        /// 二段階認証: `off` (not offered; factors members have are still asked), `optional`
        /// (members may enrol) or `required` (every password sign-in needs a second factor).
        #[arg(long, value_name = "off|optional|required")]
        two_step: Option<TwoStep>,
        /// How many months of 医療費のお知らせ to keep (default 24): older service months are
        /// deleted by the server's housekeeping.
        #[arg(long, value_name = "MONTHS", value_parser = clap::value_parser!(u32).range(1..=120))]
        medical_months: Option<u32>,
    },
    /// Publish a new terms version (plain text) for new onboardings.
    Terms {
        #[arg(long, value_name = "INSURER_NUMBER")]
        insurer_number: String,
        file: PathBuf,
    },
    /// List the tenants.
    List,
}

/// The kenpo's two-step policy as the operator types it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TwoStep {
    Off,
    Optional,
    Required,
}

impl From<TwoStep> for madoguchi_domain::two_step::TwoStepPolicy {
    fn from(t: TwoStep) -> Self {
        match t {
            TwoStep::Off => Self::Off,
            TwoStep::Optional => Self::Optional,
            TwoStep::Required => Self::Required,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Encoding {
    #[default]
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "cp932", alias = "shift_jis", alias = "sjis")]
    Cp932,
}

#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// Import a roster CSV (all-or-nothing; re-importing a member updates it).
    Import {
        #[arg(long, value_name = "INSURER_NUMBER")]
        tenant: String,
        file: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        encoding: Encoding,
        /// Suspend (資格喪失) the tenant's members absent from the file.
        #[arg(long)]
        suspend_missing: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CredentialsCommand {
    /// Issue temporary credentials and write the postcard CSV (the only copy of the passwords).
    Issue {
        #[arg(long, value_name = "INSURER_NUMBER")]
        tenant: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Only these members (also those whose postcard is still valid).
        #[arg(long = "member", value_name = "CODE")]
        members: Vec<String>,
        #[arg(long, value_enum, default_value_t)]
        encoding: Encoding,
    },
}

#[derive(Debug, clap::Args)]
pub struct MemberRef {
    #[arg(long, value_name = "INSURER_NUMBER")]
    pub tenant: String,
    #[arg(long, value_name = "CODE")]
    pub member: String,
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Show the state, lock, masked e-mail and last login.
    Show(MemberRef),
    /// End a lockout.
    Unlock(MemberRef),
    /// Suspend (資格喪失): every token is revoked, no login until reinstated.
    Suspend(MemberRef),
    /// End a suspension.
    Reinstate(MemberRef),
    /// Remove two-step login (authenticator app, recovery codes, remembered browsers), end
    /// every session and tell the member by e-mail: for a lost phone without recovery codes.
    ResetTwoStep(MemberRef),
    /// New temporary credentials (the old ones are retired), written as a postcard CSV.
    Reissue {
        #[command(flatten)]
        member: MemberRef,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        encoding: Encoding,
    },
}

#[derive(Debug, Subcommand)]
pub enum MaintenanceCommand {
    /// Print the monthly windows of a year, one per line.
    Schedule {
        #[arg(long)]
        year: i32,
    },
    /// Add an ad-hoc window.
    Add {
        /// YYYY-MM-DDTHH:MM[:SS]±HH:MM
        #[arg(long, value_name = "TIME")]
        starts_at: String,
        #[arg(long, value_name = "TIME")]
        ends_at: String,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// List ad-hoc windows that have not ended (by default from now).
    List {
        /// YYYY-MM-DD (JST) or an RFC 3339 time.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
    },
    /// Remove an ad-hoc window.
    Remove { id: String },
}
