//! The client's address, for the audit trail and the login rate limit.
//!
//! The peer of the TCP connection is the client unless it is one of the trusted proxies given with
//! `--trusted-proxy`: then `X-Forwarded-For` is read from the right, skipping trusted proxies, and
//! the first address that is not one is the client (a client cannot forge entries to the right of
//! what its own proxy appended). From any other peer the header is ignored.

use std::net::IpAddr;

use axum::http::request::Parts;
use ipnet::IpNet;

/// Parses a trusted proxy: an address (`10.0.0.5`, `::1`) or a network (`10.0.0.0/8`).
///
/// # Errors
/// A message naming the value, in Chinese.
pub fn parse_trusted_proxy(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    s.parse::<IpNet>()
        .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("可信代理“{s}”不是 IP 地址或网段（如 10.0.0.5 或 10.0.0.0/8）"))
}

/// The client address of a request whose TCP peer is `peer`, given the trusted proxies.
pub fn resolve(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let Some(header) = forwarded_for else {
        return peer;
    };
    let mut client = peer;
    for hop in header.rsplit(',') {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else {
            // An unreadable hop: stop at the last address we could trust.
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// The client address of a request (absent when the server runs without connect info, as in
/// in-process tests).
pub(crate) fn of(parts: &Parts, trusted: &[IpNet]) -> Option<String> {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?
        .0
        .ip();
    let forwarded = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    let forwarded = (!forwarded.is_empty()).then_some(forwarded);
    Some(resolve(peer, forwarded.as_deref(), trusted).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let trusted = vec![
            parse_trusted_proxy("10.0.0.0/8").unwrap(),
            parse_trusted_proxy("192.0.2.1").unwrap(),
        ];
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        // From an untrusted peer the header is ignored.
        assert_eq!(
            resolve(ip("203.0.113.9"), Some("198.51.100.7"), &trusted),
            ip("203.0.113.9")
        );
        // From a trusted proxy: the right-most untrusted hop.
        assert_eq!(
            resolve(
                ip("10.1.2.3"),
                Some("6.6.6.6, 198.51.100.7, 10.9.9.9"),
                &trusted
            ),
            ip("198.51.100.7")
        );
        assert_eq!(resolve(ip("192.0.2.1"), None, &trusted), ip("192.0.2.1"));
        assert!(parse_trusted_proxy("10.0.0.0/33").is_err());
        assert_eq!(
            parse_trusted_proxy("proxy").unwrap_err(),
            "可信代理“proxy”不是 IP 地址或网段（如 10.0.0.5 或 10.0.0.0/8）"
        );
    }
}
