//! socket_rs: Ruby's socket library in Rust. This file only wires the
//! classes together; each Ruby class lives in its own module.

use magnus::{Error, Ruby};

mod addrinfo;
mod ancillary;
mod args;
mod basic_socket;
mod cbytes;
mod constants;
mod errors;
mod happy_eyeballs;
mod hidden;
mod ifaddr;
mod ip_socket;
mod msg;
mod option;
mod resolver;
mod ruby_version;
mod sockaddr;
mod socket;
mod sockio;
mod tcp_server;
mod tcp_socket;
mod udp_socket;
mod unix_server;
mod unix_socket;
mod wait;

#[magnus::init]
fn init(ruby: &Ruby) -> Result<(), Error> {
    // Before anything looks a constant up: this Ruby's set of them.
    constants::use_ruby(ruby_version::API_VERSION);
    errors::init(ruby)?;
    resolver::init(ruby)?;
    addrinfo::init(ruby)?;
    let basic_socket = basic_socket::init(ruby)?;
    let socket = socket::init(ruby, basic_socket)?;
    msg::init(ruby, basic_socket)?;
    ancillary::init(ruby, socket)?;
    let unix_socket = unix_socket::init(ruby, basic_socket)?;
    unix_server::init(ruby, unix_socket)?;
    ifaddr::init(ruby)?;
    let ip_socket = ip_socket::init(ruby, basic_socket)?;
    udp_socket::init(ruby, ip_socket)?;
    let tcp_socket = tcp_socket::init(ruby, basic_socket)?;
    tcp_server::init(ruby, tcp_socket)?;
    constants::init(ruby)?;
    option::init(ruby)?;
    Ok(())
}
