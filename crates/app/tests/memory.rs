//! Peak memory of the heavy jobs an upload starts (issue #16 point 2), measured as the process's
//! peak resident set (Linux `VmHWM`, reset before each job through `/proc/self/clear_refs`) in a
//! test binary of its own, so that no other test's memory is counted: every upload within the
//! size limit must cost less than [`BUDGET`] of extra peak memory, including the field cases B35
//! (a 1.6 KB .xlsx with a merged region A1:GR20000) and B36 (a 140 KB PNG of 11 000 × 11 000
//! pixels). The figures are printed (`--nocapture`).

/// The most extra peak memory one upload may cost, in bytes.
const BUDGET: u64 = 100 * 1000 * 1000;

/// A field of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`).
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"));
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap();
    kb * 1024
}

/// Runs `job` and gives the peak resident memory above what was resident when it started.
async fn extra_peak<T>(job: impl std::future::Future<Output = T>) -> (T, u64) {
    // "5" resets the peak resident set to the current one (Linux proc(5), clear_refs).
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let base = status_bytes("VmRSS:");
    let out = job.await;
    (out, status_bytes("VmHWM:").saturating_sub(base))
}

fn case(name: &str) -> Vec<u8> {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read(here.join("../roster/tests/cases").join(name)).unwrap()
}

/// A PNG of `w` × `h` pixels with some texture, so that it compresses like a photo does not.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x ^ y) % 239) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A PNG header claiming `w` × `h` pixels followed by little data: what B36 is.
fn claimed_png(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(b"IHDR");
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let crc = crc32(&ihdr);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_heavy_upload_stays_within_its_memory_budget() {
    use safeduty_app::heavy::{AT_ONCE, read_sheet, thumbnail};
    let b35 = case("B35_merged_region_bomb.xlsx");
    let b36 = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/cases/B36_decompression_bomb.png"),
    )
    .unwrap();
    let photo = png(4000, 3000);
    let mut figures = Vec::new();

    let (sheet, peak) = extra_peak(read_sheet(&b35)).await;
    let rows: Vec<u32> = sheet.unwrap().grid.rows.iter().map(|r| r.number).collect();
    assert_eq!(rows, [1, 30000], "B35 is read as its two rows of values");
    figures.push(("B35 merged-region .xlsx", b35.len(), peak));

    let (thumb, peak) = extra_peak(thumbnail(&b36)).await;
    assert_eq!(thumb, None, "B36 is kept without a thumbnail");
    figures.push(("B36 11000x11000 PNG", b36.len(), peak));

    let claimed = claimed_png(60_000, 60_000);
    let (thumb, peak) = extra_peak(thumbnail(&claimed)).await;
    assert_eq!(thumb, None);
    figures.push(("PNG header claiming 60000x60000", claimed.len(), peak));

    let (thumb, peak) = extra_peak(thumbnail(&photo)).await;
    let thumb = thumb.expect("a 12-megapixel photo gets its thumbnail");
    let small = image::load_from_memory(&thumb).unwrap();
    assert_eq!((small.width(), small.height()), (240, 180));
    figures.push(("12-megapixel PNG photo", photo.len(), peak));

    // Six photos at once: the permits keep the peak to what AT_ONCE of them cost.
    let copies: Vec<Vec<u8>> = (0..6).map(|_| photo.clone()).collect();
    let six = copies
        .into_iter()
        .map(|b| async move { thumbnail(&b).await.is_some() });
    let (made, together) = extra_peak(futures_join(six)).await;
    assert_eq!(made, [true; 6]);

    for (what, size, peak) in &figures {
        println!(
            "{what:<34} {:>9} bytes sent  {:>7.1} MB extra peak  (budget {} MB)",
            size,
            *peak as f64 / 1e6,
            BUDGET / 1_000_000
        );
    }
    println!(
        "six 12-megapixel photos at once     {:>9} bytes held  {:>7.1} MB extra peak  (budget {} MB: {AT_ONCE} at a time)",
        6 * photo.len(),
        together as f64 / 1e6,
        AT_ONCE as u64 * BUDGET / 1_000_000
    );
    for (what, _, peak) in &figures {
        assert!(*peak < BUDGET, "{what}: {peak} bytes of extra peak memory");
    }
    assert!(
        together < AT_ONCE as u64 * BUDGET,
        "six photos at once: {together} bytes"
    );
}

/// Awaits every future, concurrently, on the runtime's threads.
async fn futures_join<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}
