//! Integration tests: the real `versus` binary on small books made per test.

mod harness;

mod architecture;
mod bad_input;
mod build;
mod cache;
mod check;
mod embed;
mod fuzz;
mod init;
mod inputs;
mod markdown;
mod output_safety;
mod reader;
mod samples;
mod serve;
mod strings;
mod theme;
mod versions;
