//! The `versus` command line: parses arguments, runs a command, prints what happened.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use versus::config::Overrides;
use versus::diagnostic::display_path;

#[derive(Parser)]
#[command(
    name = "versus",
    version,
    about = "Build comparison docs: one page per option, a filterable matrix and a decision guide"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the book into a static site.
    Build {
        /// The book's root folder (where book.toml is).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder (default: `output` under [build] in book.toml, else public/).
        #[arg(long, short = 'd')]
        dest: Option<PathBuf>,
        /// Absolute URL the site is published at, for the sitemap and canonical links.
        #[arg(long)]
        base_url: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            dir,
            dest,
            base_url,
        } => build(dir, dest, base_url),
    }
}

fn build(dir: PathBuf, dest: Option<PathBuf>, base_url: Option<String>) -> ExitCode {
    // A relative --dest is relative to where the command runs, as users expect of a flag.
    let output_dir = dest.map(|d| std::env::current_dir().map(|cwd| cwd.join(&d)).unwrap_or(d));
    let overrides = Overrides {
        output_dir,
        base_url,
    };
    match versus::build(&dir, &overrides) {
        Ok(report) => {
            let shown = display_path(&dir, &report.output_dir);
            eprintln!(
                "built {} pages ({} files) into {}",
                report.pages,
                report.files,
                shown.display()
            );
            for kept in &report.kept {
                eprintln!("kept {kept} (not written by versus)");
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            let diagnostics = failure.diagnostics();
            for diagnostic in diagnostics {
                eprintln!("{diagnostic}");
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "build failed: {errors} error{}; the previous site was left as it was",
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(failure.exit_code() as u8)
        }
    }
}
