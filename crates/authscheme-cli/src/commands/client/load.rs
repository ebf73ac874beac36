//! `--repeat N --concurrency C`: N requests over C connections, each
//! connection a client of its own with its own session per protection
//! space, so that after its first request each answers pre-emptively with
//! the next nonce count of its own nonce. One nonce shared by all would
//! have up to C counts in flight at once, more than a server's replay
//! window may span (128 for ours): the oldest would come back stale.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use authscheme_reqwest::AuthClient;

use super::failure;
use super::target::Target;

/// What one request ended as.
enum Result1 {
    Success(Duration),
    Status(Duration),
    Error(String),
}

async fn one(client: &AuthClient, target: &Target) -> Result1 {
    let request = match target.build() {
        Ok(r) => r,
        Err(e) => return Result1::Error(e),
    };
    let start = Instant::now();
    match client.execute(request).await {
        Ok(response) => {
            let ok = response.status().is_success();
            // Read the body so the connection goes back to the pool.
            let read = response.bytes().await;
            let took = start.elapsed();
            match (ok, read) {
                (true, Ok(_)) => Result1::Success(took),
                (_, Err(e)) => Result1::Error(format!("reading the body failed: {e}")),
                (false, Ok(_)) => Result1::Status(took),
            }
        }
        Err(e) => Result1::Error(super::describe(&e)),
    }
}

/// Runs the load and prints the summary on stdout. `client` makes the
/// client of each connection.
pub(super) async fn run(
    client: impl Fn() -> AuthClient,
    target: Target,
    n: u64,
    c: u64,
) -> ExitCode {
    let started = Instant::now();
    // The first request alone, on the first connection's client: a server
    // that is down or refuses the credentials is reported once, plainly.
    let first_client = client();
    let first = one(&first_client, &target).await;
    if let Result1::Error(why) = &first {
        // `one` kept the real error; sending the request again to learn it
        // would repeat a request the server may already have acted on.
        return failure(why);
    }
    let next = Arc::new(AtomicU64::new(1));
    let target = Arc::new(target);
    let mut workers = Vec::new();
    let mut first_client = Some(first_client);
    for _ in 0..c.min(n) {
        let client = first_client.take().unwrap_or_else(&client);
        let (target, next) = (Arc::clone(&target), Arc::clone(&next));
        workers.push(tokio::spawn(async move {
            let mut results = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < n {
                results.push(one(&client, &target).await);
            }
            results
        }));
    }
    let mut results = vec![first];
    for w in workers {
        match w.await {
            Ok(mut r) => results.append(&mut r),
            Err(e) => return failure(format!("a worker failed: {e}")),
        }
    }
    let elapsed = started.elapsed();
    summarize(&results, elapsed, c.min(n))
}

fn summarize(results: &[Result1], elapsed: Duration, connections: u64) -> ExitCode {
    let mut latencies: Vec<Duration> = Vec::with_capacity(results.len());
    let (mut ok, mut other, mut errors) = (0u64, 0u64, 0u64);
    let mut reasons: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for r in results {
        match r {
            Result1::Success(d) => {
                ok += 1;
                latencies.push(*d);
            }
            Result1::Status(d) => {
                other += 1;
                latencies.push(*d);
            }
            Result1::Error(why) => {
                errors += 1;
                *reasons.entry(why).or_default() += 1;
            }
        }
    }
    for (why, count) in &reasons {
        eprintln!("authscheme client: {count} request(s) failed: {why}");
    }
    latencies.sort_unstable();
    let total = results.len();
    let per_second = total as f64 / elapsed.as_secs_f64().max(f64::EPSILON);
    let summary = format!(
        "requests: {total} ({ok} 2xx, {other} other status, {errors} errors) over {connections} connections in {:.3} s\n\
         requests/s: {per_second:.1}\n\
         latency p50: {} p90: {} p99: {} max: {}\n",
        elapsed.as_secs_f64(),
        ms(percentile(&latencies, 50)),
        ms(percentile(&latencies, 90)),
        ms(percentile(&latencies, 99)),
        ms(latencies.last().copied()),
    );
    let done = if errors > 0 {
        ExitCode::from(2)
    } else if other > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    crate::output::print("client", summary, done)
}

/// The nearest-rank percentile.
fn percentile(sorted: &[Duration], p: usize) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

fn ms(d: Option<Duration>) -> String {
    d.map_or_else(
        || "-".to_owned(),
        |d| format!("{:.3} ms", d.as_secs_f64() * 1000.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&v, 50), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&v, 99), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&[], 50), None);
        let one = [Duration::from_millis(7)];
        assert_eq!(percentile(&one, 90), Some(Duration::from_millis(7)));
    }
}
