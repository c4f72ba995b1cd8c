pub mod cbytes;
pub mod cmsg;
pub mod constants;
pub mod fast_map;
pub mod fd;
pub mod happy_eyeballs;
pub mod lookup;
pub mod sockaddr;
