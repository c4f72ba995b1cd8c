pub mod args;
pub mod errors;
pub mod happy_eyeballs;
pub mod hidden;
pub mod resolver;
pub mod ruby_version;
pub mod sockio;
pub mod wait;
