//! Outgoing mail through lettre: SMTP when `HOCVUSO_SMTP_URL` is set, otherwise `.eml` files
//! in `<data_dir>/mail/`, so the defaults need no mail server.

use std::path::PathBuf;

use anyhow::Context;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Files {
        transport: AsyncFileTransport<Tokio1Executor>,
        dir: PathBuf,
        from: Mailbox,
    },
}

impl Mailer {
    /// SMTP from a URL (`smtp://user:pass@host:port`, `smtps://…`), or files in `dir`.
    pub fn new(smtp_url: Option<&str>, dir: PathBuf, from: &str) -> anyhow::Result<Mailer> {
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("HOCVUSO_MAIL_FROM is not an address: {from}"))?;
        match smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("HOCVUSO_SMTP_URL is not a valid SMTP URL")?
                    .build();
                Ok(Mailer::Smtp { transport, from })
            }
            None => {
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("Failed to create {}", dir.display()))?;
                let transport = AsyncFileTransport::<Tokio1Executor>::new(&dir);
                Ok(Mailer::Files {
                    transport,
                    dir,
                    from,
                })
            }
        }
    }

    /// A short description for the start-up log.
    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp { .. } => "SMTP".into(),
            Mailer::Files { dir, .. } => format!("files in {}", dir.display()),
        }
    }

    /// Sends a plain-text message.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::Files { from, .. } => from.clone(),
        };
        let to: Mailbox = to.parse().context("recipient is not an address")?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .context("Failed to build a message")?;
        match self {
            Mailer::Smtp { transport, .. } => {
                transport.send(message).await.context("SMTP send failed")?;
            }
            Mailer::Files { transport, .. } => {
                transport
                    .send(message)
                    .await
                    .context("Failed to write mail")?;
            }
        }
        Ok(())
    }
}
