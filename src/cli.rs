//! The `hocvuso` command line: one function per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::accounts::{self, Contact, CreateError};
use crate::config::Settings;
use crate::startup::{Application, ensure_first_admin};

#[derive(Parser, Debug)]
#[command(
    name = "hocvuso",
    version,
    about = "Học Vụ Số: self-paced digital-skills learning for everyone",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Without a command, `hocvuso` serves with these options.
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (the default when no command is given).
    Serve(ServeArgs),
    /// Manage administrator accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Manage signing keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Check courses and convert question banks.
    #[command(subcommand)]
    Courses(crate::cli_courses::CoursesCommand),
    /// Import data from CSV files.
    #[command(subcommand)]
    Import(crate::cli_import::ImportCommand),
    /// Write the cohort report against the plan's goals (XLSX, CSV or JSON).
    Report(crate::cli_report::ReportArgs),
}

#[derive(Args, Debug, Clone)]
struct ServeArgs {
    /// Address to bind.
    #[arg(long, env = "HOCVUSO_HOST", default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on.
    #[arg(long, env = "HOCVUSO_PORT", default_value_t = 8080)]
    port: u16,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(Args, Debug, Clone)]
struct DataArgs {
    /// Folder for the SQLite database, keys and outgoing mail.
    #[arg(long, env = "HOCVUSO_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Create an administrator and print a one-time password (changed at first login).
    Create {
        /// Full name.
        #[arg(long, default_value = "Quản trị viên")]
        name: String,
        /// Phone number or email used to log in.
        #[arg(long)]
        login: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Subcommand, Debug)]
enum KeyCommand {
    /// Print a new random signing key for HOCVUSO_SIGNING_KEY (servers behind one load
    /// balancer share it).
    Generate,
}

/// Parses the command line and runs the command; `Ok(false)` asks for exit code 1.
pub fn run() -> anyhow::Result<bool> {
    let cli = Cli::parse();
    crate::telemetry::init();
    match cli.command {
        None => serve(cli.serve).map(|()| true),
        Some(Command::Serve(args)) => serve(args).map(|()| true),
        Some(Command::Admin(AdminCommand::Create { name, login, data })) => {
            admin_create(&name, &login, data).map(|()| true)
        }
        Some(Command::Key(KeyCommand::Generate)) => {
            println!("{}", crate::keys::Keys::generate_seed_b64());
            Ok(true)
        }
        Some(Command::Courses(command)) => crate::cli_courses::run(command),
        Some(Command::Import(command)) => crate::cli_import::run(command),
        Some(Command::Report(args)) => crate::cli_report::run(args),
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let settings = Settings::from_env(args.host, args.port, args.data.data_dir)?;
    let admin_login = settings.admin_login.clone();
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings.clone()).await?;
        crate::startup::reload_on_sighup(app.library());
        if settings.watch_courses {
            crate::startup::watch_courses(app.library());
        }
        if let Some(otp) = ensure_first_admin(app.pool(), &admin_login)? {
            print_first_admin(&admin_login, &otp);
        }
        println!(
            "Học Vụ Số is running at http://{}:{}/",
            settings.host,
            app.port()
        );
        app.run_until_stopped().await?;
        tracing::info!("stopped");
        Ok(())
    })
}

fn print_first_admin(login: &str, otp: &str) {
    println!();
    println!("  ┌──────────────────────────────────────────────────────────────┐");
    println!("  │ First administrator created. This password is shown ONCE.    │");
    println!("  │   login:    {login:<49}│");
    println!("  │   password: {otp:<49}│");
    println!("  │ Log in at /login; you will be asked to choose a new password.│");
    println!("  └──────────────────────────────────────────────────────────────┘");
    println!();
}

fn admin_create(name: &str, login: &str, data: DataArgs) -> anyhow::Result<()> {
    let settings = Settings::from_env("127.0.0.1".into(), 0, data.data_dir)?;
    let contact = Contact::parse(login).map_err(|e| anyhow::anyhow!("--login {login}: {e}"))?;
    let pool = crate::db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    match accounts::create_admin(&mut conn, name, &contact) {
        Ok(otp) => {
            println!("Administrator {name} created.");
            println!("  login:    {login}");
            println!("  password: {otp}   (one-time: it must be changed at first login)");
            Ok(())
        }
        Err(CreateError::Taken) => anyhow::bail!("{login} already has an account"),
        Err(CreateError::Db(e)) => Err(e.into()),
    }
}
