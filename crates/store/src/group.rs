//! Group commit (DESIGN.md §3 "Writes"; issue 19): writes sent at once share one durable
//! transaction, run one after another by a single writer task on the writer connection.
//!
//! - Each write runs between `SAVEPOINT` and `RELEASE`: one that fails (a refusal, a constraint,
//!   a database error, a panic) is rolled back to its savepoint and fails alone; the others of
//!   its group go on and commit.
//! - A write is answered only after the `COMMIT` that holds it succeeded; if the commit fails,
//!   every write of the group is answered with an error and none of them is kept.
//! - Groups form by themselves: the writer takes whatever is queued when it is free, up to
//!   [`MAX_GROUP`] writes, and never waits for more. One write alone is committed at once, so a
//!   quiet server sees no added latency; during a rush, the writes that queue while one group
//!   commits make the next group, and one `fsync` serves them all.
//! - The audit hash chain stays correct: every write takes the audit head row inside the
//!   transaction as before, in the order the writes run; a write rolled back to its savepoint
//!   takes its head update and records with it.
//!
//! On SQLite, where one connection writes anyway, this is how writes meant for it run (see
//! [`crate::Store::grouped`]). On PostgreSQL each such write runs in a transaction of its own by
//! default (commits already run side by side there, and a group that holds the audit head's row
//! lock from its first write while a later write waits on another row lock could close a lock
//! cycle with another writer); [`crate::Store::with_group_commit`] turns grouping on for it.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures::FutureExt;
use futures::future::BoxFuture;
use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

use crate::{Backend, StoreError, Tx};

/// The most writes one group holds: bounds the time other writers (outside the group) wait for
/// the writer connection, about 1–2 ms a self-inspection submission on SQLite.
pub const MAX_GROUP: usize = 64;

/// How many writes may wait for the writer before senders wait too (back-pressure).
const QUEUE: usize = 4096;

type Output = Box<dyn Any + Send>;

/// The work of one write, run inside the group's transaction.
type Work = Box<dyn for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<Output, StoreError>> + Send>;

/// One write: its work, run inside the group's transaction, and where its answer goes.
struct Job {
    work: Work,
    reply: oneshot::Sender<Result<Output, StoreError>>,
}

/// Counts of what the writer has committed, for tests and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupStats {
    /// Transactions committed by the writer.
    pub groups: u64,
    /// Writes answered as done (committed).
    pub committed: u64,
    /// Writes that failed alone (rolled back to their savepoint) in a group that committed.
    pub failed: u64,
    /// The largest group so far (writes, done or failed).
    pub largest: u64,
}

#[derive(Debug, Default)]
struct Counters {
    groups: AtomicU64,
    committed: AtomicU64,
    failed: AtomicU64,
    largest: AtomicU64,
}

/// The handle through which writes reach the writer task. Cheap to clone (shared).
#[derive(Debug, Clone)]
pub(crate) struct GroupCommit {
    pool: AnyPool,
    backend: Backend,
    /// The queue to the writer task, started on first use in the caller's runtime and again if
    /// that runtime has gone (a store used from another runtime later).
    sender: Arc<Mutex<Option<mpsc::Sender<Job>>>>,
    counters: Arc<Counters>,
    /// Taken by the writer before it forms a group; held by a test to line writes up
    /// ([`crate::Store::hold_group_writer`]). Never contended otherwise.
    gate: Arc<tokio::sync::Mutex<()>>,
}

impl GroupCommit {
    /// A committer writing through `pool` (the writer pool).
    pub(crate) fn new(pool: AnyPool, backend: Backend) -> GroupCommit {
        GroupCommit {
            pool,
            backend,
            sender: Arc::new(Mutex::new(None)),
            counters: Arc::new(Counters::default()),
            gate: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// Holds the writer before its next group until the guard is dropped (tests).
    #[cfg(feature = "test-support")]
    pub(crate) async fn hold(&self) -> tokio::sync::OwnedMutexGuard<()> {
        self.gate.clone().lock_owned().await
    }

    /// What the writer has committed so far.
    pub(crate) fn stats(&self) -> GroupStats {
        GroupStats {
            groups: self.counters.groups.load(Ordering::Relaxed),
            committed: self.counters.committed.load(Ordering::Relaxed),
            failed: self.counters.failed.load(Ordering::Relaxed),
            largest: self.counters.largest.load(Ordering::Relaxed),
        }
    }

    /// Writes waiting for the writer (not counting the group it is running).
    pub(crate) fn queued(&self) -> usize {
        self.sender
            .lock()
            .ok()
            .and_then(|s| s.as_ref().map(|s| s.max_capacity() - s.capacity()))
            .unwrap_or(0)
    }

    fn sender(&self, fresh: bool) -> mpsc::Sender<Job> {
        let mut guard = self
            .sender
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match guard.as_ref() {
            Some(s) if !fresh && !s.is_closed() => s.clone(),
            _ => {
                let (tx, rx) = mpsc::channel(QUEUE);
                tokio::spawn(writer(
                    self.pool.clone(),
                    self.backend,
                    rx,
                    self.counters.clone(),
                    self.gate.clone(),
                ));
                *guard = Some(tx.clone());
                tx
            }
        }
    }

    /// Runs `work` in the next group and answers once that group committed.
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<T, StoreError>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let mut job = Job {
            work: Box::new(move |tx| {
                Box::pin(async move { work(tx).await.map(|t| Box::new(t) as Output) })
            }),
            reply,
        };
        let mut fresh = false;
        loop {
            match self.sender(fresh).send(job).await {
                Ok(()) => break,
                // The writer's runtime has gone: start it again here, once.
                Err(mpsc::error::SendError(back)) if !fresh => {
                    job = back;
                    fresh = true;
                }
                Err(_) => return Err(gone()),
            }
        }
        let out = answer.await.map_err(|_| gone())??;
        out.downcast::<T>()
            .map(|t| *t)
            .map_err(|_| StoreError::Corrupt("group commit: answer of another type".into()))
    }
}

fn gone() -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(
        "the group-commit writer stopped before answering".into(),
    ))
}

/// The writer task: takes what is queued, runs it as one group, until every sender is gone.
async fn writer(
    pool: AnyPool,
    backend: Backend,
    mut rx: mpsc::Receiver<Job>,
    counters: Arc<Counters>,
    gate: Arc<tokio::sync::Mutex<()>>,
) {
    while let Some(first) = rx.recv().await {
        let _gate = gate.lock().await;
        // The connection first: what queues while it is awaited joins this group.
        let tx = crate::db::begin_write(&pool, backend).await;
        let mut jobs = vec![first];
        while jobs.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        match tx {
            Ok(tx) => run_group(tx, jobs, &counters).await,
            Err(e) => {
                let msg = e.to_string();
                for job in jobs {
                    let _ = job
                        .reply
                        .send(Err(StoreError::Database(sqlx::Error::Protocol(
                            msg.clone(),
                        ))));
                }
            }
        }
    }
}

/// Runs `jobs` in `tx`, each under its own savepoint, commits, then answers each.
async fn run_group(mut tx: Tx, jobs: Vec<Job>, counters: &Counters) {
    let size = jobs.len() as u64;
    let mut done: Vec<(oneshot::Sender<_>, Result<Output, StoreError>)> =
        Vec::with_capacity(jobs.len());
    let mut broken: Option<String> = None;
    for job in jobs {
        if let Some(why) = &broken {
            let _ = job.reply.send(Err(failed_group(why)));
            continue;
        }
        if let Err(e) = sqlx::query("SAVEPOINT group_write").execute(&mut *tx).await {
            broken = Some(e.to_string());
            let _ = job.reply.send(Err(StoreError::Database(e)));
            continue;
        }
        let out = AssertUnwindSafe((job.work)(&mut tx))
            .catch_unwind()
            .await
            .unwrap_or_else(|_| {
                tracing::error!("a grouped write panicked; rolled back to its savepoint");
                Err(StoreError::Corrupt("a write panicked".into()))
            });
        let end = if out.is_ok() {
            "RELEASE SAVEPOINT group_write"
        } else {
            "ROLLBACK TO SAVEPOINT group_write"
        };
        let mut ended = sqlx::query(end).execute(&mut *tx).await.map(|_| ());
        if out.is_err() && ended.is_ok() {
            ended = sqlx::query("RELEASE SAVEPOINT group_write")
                .execute(&mut *tx)
                .await
                .map(|_| ());
        }
        if let Err(e) = ended {
            // The transaction can no longer be trusted: nothing of the group is kept.
            broken = Some(e.to_string());
        }
        done.push((job.reply, out));
    }
    if let Some(why) = broken {
        drop(tx); // rolls back
        for (reply, _) in done {
            let _ = reply.send(Err(failed_group(&why)));
        }
        return;
    }
    match tx.commit().await {
        Ok(()) => {
            counters.groups.fetch_add(1, Ordering::Relaxed);
            counters.largest.fetch_max(size, Ordering::Relaxed);
            for (reply, out) in done {
                let counter = if out.is_ok() {
                    &counters.committed
                } else {
                    &counters.failed
                };
                counter.fetch_add(1, Ordering::Relaxed);
                let _ = reply.send(out);
            }
        }
        Err(e) => {
            let why = e.to_string();
            tracing::error!(error = %why, writes = size, "a group commit failed");
            for (reply, out) in done {
                // A write that failed alone keeps its own reason; the others learn the commit failed.
                let _ = reply.send(out.and_then(|_| Err(failed_group(&why))));
            }
        }
    }
}

fn failed_group(why: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(format!(
        "the transaction holding this write did not commit: {why}"
    )))
}
