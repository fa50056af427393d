//! HTTP on loopback: sequential latency and a time-bounded load of many
//! connections, with a plain hyper client (keep-alive, HTTP/1.1).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

pub fn client(connections: usize) -> HttpClient {
    Client::builder(TokioExecutor::new()).pool_max_idle_per_host(connections).build_http()
}

/// One request to send: method, URL, headers, body.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: http::Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Bytes>,
}

impl Call {
    pub fn get(url: String, headers: Vec<(&'static str, String)>) -> Call {
        Call { method: http::Method::GET, url, headers, body: None }
    }
}

/// Sends one call; the status (the body is read to the end).
pub async fn send(client: &HttpClient, call: &Call) -> anyhow::Result<u16> {
    let mut req = http::Request::builder().method(call.method.clone()).uri(&call.url);
    for (k, v) in &call.headers {
        req = req.header(*k, v);
    }
    let req = req.body(Full::new(call.body.clone().unwrap_or_default()))?;
    let resp = client.request(req).await?;
    let status = resp.status().as_u16();
    resp.into_body().collect().await?;
    Ok(status)
}

/// What a load run measured.
#[derive(Debug, Default)]
pub struct Load {
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub latencies: Vec<Duration>,
}

impl Load {
    pub fn rate(&self) -> f64 {
        self.requests as f64 / self.seconds.max(1e-9)
    }
}

/// `connections` workers each send `next(i)` back to back for `duration`.
pub async fn load(
    client: &HttpClient,
    connections: usize,
    duration: Duration,
    next: Arc<dyn Fn(u64) -> Call + Send + Sync>,
) -> Load {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut workers = vec![];
    for w in 0..connections {
        let (client, next, stop) = (client.clone(), next.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            let mut out = Load::default();
            let mut i = w as u64;
            while !stop.load(Ordering::Relaxed) {
                let call = next(i);
                i += connections as u64;
                let t = Instant::now();
                match send(&client, &call).await {
                    Ok(s) if s < 400 => out.requests += 1,
                    _ => out.errors += 1,
                }
                out.latencies.push(t.elapsed());
            }
            out
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let mut total = Load::default();
    for w in workers {
        if let Ok(part) = w.await {
            total.requests += part.requests;
            total.errors += part.errors;
            total.latencies.extend(part.latencies);
        }
    }
    total.seconds = started.elapsed().as_secs_f64();
    total
}
