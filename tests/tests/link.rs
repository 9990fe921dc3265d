//! A TCP path of its own between laptops and a hub on 127.0.0.1, which a test cuts and mends
//! (a laptop that reaches the hub through it is cut off, nobody else is), or has drop the next
//! connection part-way: its request cut short, or its answer after the hub took the request.

use std::io::Read;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Where the next connection is cut.
#[derive(Clone, Copy, Debug)]
pub enum Cut {
    /// After this many bytes of the laptop's request.
    Request(u64),
    /// After this many bytes of the hub's answers.
    Answer(u64),
}

pub struct Link {
    port: u16,
    to: String,
    open: Option<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>,
    next_cut: Arc<Mutex<Option<Cut>>>,
}

impl Link {
    /// A link to the hub at `hub_url` (`http://127.0.0.1:PORT`).
    pub fn to(hub_url: &str) -> Link {
        let to = hub_url.trim_start_matches("http://").to_string();
        let mut link = Link { port: 0, to, open: None, next_cut: Arc::default() };
        link.mend();
        link
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Has the next connection dropped at `cut`; the ones after it are carried whole.
    pub fn cut_next(&self, cut: Cut) {
        *self.next_cut.lock().unwrap() = Some(cut);
    }

    /// Carries the next connection whole after all (a cut asked for that no connection took).
    pub fn cut_next_none(&self) {
        *self.next_cut.lock().unwrap() = None;
    }

    /// Listens again (on the same port, once it has one) and carries every connection to the hub.
    pub fn mend(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).unwrap();
        self.port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let (to, stopped, next_cut) = (self.to.clone(), Arc::clone(&stop), Arc::clone(&self.next_cut));
        let carrying = std::thread::spawn(move || {
            for laptop in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let (Ok(laptop), Ok(hub)) = (laptop, TcpStream::connect(&to)) else { continue };
                let cut = next_cut.lock().unwrap().take();
                let (request, answer) = match cut {
                    Some(Cut::Request(n)) => (n, u64::MAX),
                    Some(Cut::Answer(n)) => (u64::MAX, n),
                    None => (u64::MAX, u64::MAX),
                };
                carry(laptop.try_clone().unwrap(), hub.try_clone().unwrap(), request);
                carry(hub, laptop, answer);
            }
        });
        self.open = Some((stop, carrying));
    }

    /// Stops listening: a laptop on the other side finds nothing there, as with no network.
    pub fn cut(&mut self) {
        if let Some((stop, carrying)) = self.open.take() {
            stop.store(true, Ordering::SeqCst);
            let _ = TcpStream::connect(("127.0.0.1", self.port)); // wakes the listener
            carrying.join().unwrap();
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.cut();
    }
}

/// Copies at most `limit` bytes from `from` into `into` on a thread of its own; at the limit both
/// sockets are shut, as a dropped connection leaves them.
fn carry(from: TcpStream, mut into: TcpStream, limit: u64) {
    std::thread::spawn(move || {
        let copied = std::io::copy(&mut (&from).take(limit), &mut into).unwrap_or(0);
        if copied >= limit {
            let _ = from.shutdown(Shutdown::Both);
            let _ = into.shutdown(Shutdown::Both);
        } else {
            let _ = into.shutdown(Shutdown::Write);
        }
    });
}
