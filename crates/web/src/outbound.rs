//! Sending reminders outward. Channels are pluggable ([`Outbound`]); the webhook channel posts
//! JSON in the group-robot formats most Chinese workplaces use (DingTalk, WeCom, Feishu/Lark), so
//! that a reminder lands in a work group. Delivery is at least once: a reminder is marked
//! delivered only after the robot answered 2xx, and failures are retried with a growing delay.

use std::time::Duration;

use serde_json::{Value, json};

/// Group-robot message formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RobotFormat {
    /// DingTalk custom robot: `{"msgtype":"text","text":{"content":…}}`.
    Dingtalk,
    /// WeCom (企业微信) group robot: the same shape as DingTalk.
    Wecom,
    /// Feishu / Lark custom bot: `{"msg_type":"text","content":{"text":…}}`.
    Feishu,
}

impl std::str::FromStr for RobotFormat {
    type Err = String;

    /// `dingtalk`, `wecom` or `feishu`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "dingtalk" => Ok(RobotFormat::Dingtalk),
            "wecom" => Ok(RobotFormat::Wecom),
            "feishu" => Ok(RobotFormat::Feishu),
            other => Err(format!(
                "unknown robot format {other:?}: dingtalk, wecom or feishu"
            )),
        }
    }
}

/// The JSON body a robot of `format` expects for a text message.
pub fn robot_payload(format: RobotFormat, text: &str) -> Value {
    match format {
        RobotFormat::Dingtalk | RobotFormat::Wecom => {
            json!({"msgtype": "text", "text": {"content": text}})
        }
        RobotFormat::Feishu => json!({"msg_type": "text", "content": {"text": text}}),
    }
}

/// The text of a reminder as sent outward.
pub fn reminder_text(kind: &str, message: &str) -> String {
    let label = safeduty_core::reminders::ReminderKind::label_of(kind);
    format!("【安全生产履职专项治理·{label}】{message}")
}

/// A channel reminders go out on.
#[derive(Debug, Clone)]
pub enum Outbound {
    /// A group robot's webhook.
    Webhook(Webhook),
}

/// A group robot's webhook URL and format.
#[derive(Clone)]
pub struct Webhook {
    url: String,
    format: RobotFormat,
    client: reqwest::Client,
}

impl std::fmt::Debug for Webhook {
    /// The URL's query usually carries the robot's access token: never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let base = self.url.split('?').next().unwrap_or_default();
        write!(f, "Webhook({base}?…, {:?})", self.format)
    }
}

impl Webhook {
    /// A webhook sender. Only `http://` URLs are accepted by this build (the product runs on
    /// intranets; reach a public robot through the intranet's HTTP proxy or relay).
    ///
    /// # Errors
    /// A message when the URL is not `http://…` or the client cannot be built.
    pub fn new(url: &str, format: RobotFormat) -> Result<Webhook, String> {
        if !url.starts_with("http://") {
            return Err(format!("webhook URL must start with http:// (got {url:?})"));
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Webhook {
            url: url.to_string(),
            format,
            client,
        })
    }
}

impl Outbound {
    /// Name of the channel, as recorded with each delivery.
    pub fn channel(&self) -> &'static str {
        match self {
            Outbound::Webhook(_) => "webhook",
        }
    }

    /// Sends one text.
    ///
    /// # Errors
    /// A description of the failure (connection, timeout, non-2xx status).
    pub async fn send(&self, text: &str) -> Result<(), String> {
        match self {
            Outbound::Webhook(w) => {
                let res = w
                    .client
                    .post(&w.url)
                    .json(&robot_payload(w.format, text))
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if res.status().is_success() {
                    Ok(())
                } else {
                    Err(format!("robot answered {}", res.status()))
                }
            }
        }
    }
}

/// Delay before the next attempt after `attempts` failures: 1, 2, 4 … minutes, at most a day.
pub fn retry_delay(attempts: i64) -> chrono::Duration {
    let minutes = 1i64 << attempts.clamp(0, 10);
    chrono::Duration::minutes(minutes.min(24 * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_fit_the_robots() {
        assert_eq!(
            robot_payload(RobotFormat::Dingtalk, "x"),
            json!({"msgtype": "text", "text": {"content": "x"}})
        );
        assert_eq!(
            robot_payload(RobotFormat::Feishu, "x"),
            json!({"msg_type": "text", "content": {"text": "x"}})
        );
        assert_eq!(retry_delay(0), chrono::Duration::minutes(1));
        assert_eq!(retry_delay(3), chrono::Duration::minutes(8));
        assert_eq!(retry_delay(40), chrono::Duration::minutes(1024));
    }
}
