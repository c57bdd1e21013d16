//! Group commit: hot write paths (grading a test, issuing a certificate) send their writes to
//! one writer thread, which runs every job waiting at that moment in a single transaction
//! (each job in its own savepoint, so one failing job does not undo the others) and answers
//! each caller after the commit. One fsync then covers many acknowledged writes, which is how
//! SQLite with `synchronous=FULL` keeps up with a whole ward submitting tests at once.

use std::sync::mpsc;

use diesel::Connection;
use tokio::sync::oneshot;

use super::{DbConn, Pool, write_tx};
use crate::error::AppError;

/// Called after the batch ends, with whether it was committed.
type Finish = Box<dyn FnOnce(bool) + Send>;
type Job = Box<dyn FnOnce(&mut DbConn) -> Finish + Send>;

/// The most jobs committed together.
const MAX_BATCH: usize = 512;

/// A handle to the writer thread; cheap to clone.
#[derive(Clone)]
pub struct Batcher {
    sender: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Batcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Batcher")
    }
}

impl Batcher {
    /// Starts the writer thread on its own connection from the pool.
    pub fn start(pool: Pool) -> Batcher {
        let (sender, receiver) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("hocvuso-writer".into())
            .spawn(move || writer(pool, receiver))
            .map(|_| ())
            .unwrap_or_else(|e| tracing::error!(error = %e, "could not start the writer thread"));
        Batcher { sender }
    }

    /// Runs `job` inside the next batch's transaction and returns its result once committed.
    pub async fn run<T, F>(&self, job: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<Result<T, AppError>>();
        let boxed: Job = Box::new(move |conn: &mut DbConn| {
            let result = conn
                .transaction(|c| job(c).map_err(Rollback::from))
                .map_err(AppError::from);
            // The answer goes out only after the batch is committed (or is known lost).
            Box::new(move |committed: bool| {
                let answer = if committed {
                    result
                } else {
                    Err(AppError::Internal(anyhow::anyhow!(
                        "the batch was not committed"
                    )))
                };
                tx.send(answer).ok();
            })
        });
        self.sender
            .send(boxed)
            .map_err(|_| AppError::Internal(anyhow::anyhow!("the writer thread has stopped")))?;
        rx.await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("a batched write was lost")))?
    }
}

/// Carries an `AppError` through diesel's transaction (which needs `From<diesel::Error>`).
#[derive(Debug)]
struct Rollback(AppError);

impl From<AppError> for Rollback {
    fn from(e: AppError) -> Self {
        Rollback(e)
    }
}

impl From<diesel::result::Error> for Rollback {
    fn from(e: diesel::result::Error) -> Self {
        Rollback(e.into())
    }
}

impl From<Rollback> for AppError {
    fn from(r: Rollback) -> Self {
        r.0
    }
}

fn writer(pool: Pool, receiver: mpsc::Receiver<Job>) {
    while let Ok(first) = receiver.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let mut conn = match pool.get() {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "writer has no database connection");
                continue; // dropping the jobs tells each caller its write was lost
            }
        };
        let mut finishers = Vec::with_capacity(jobs.len());
        let committed = write_tx(&mut conn, |c| -> Result<(), diesel::result::Error> {
            for job in jobs.drain(..) {
                finishers.push(job(c));
            }
            Ok(())
        });
        if let Err(e) = &committed {
            tracing::error!(error = %e, "a batch failed to commit");
        }
        for finish in finishers {
            finish(committed.is_ok());
        }
    }
}
