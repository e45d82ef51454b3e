//! Work whose cost grows with what an upload holds rather than with its size on the wire —
//! reading a spreadsheet, decoding a picture — bounded twice (issue #16 point 2; cases B35, B36):
//! each reader refuses, before the work, what it would not keep (the roster reader bounds
//! merged regions and cells; [`thumbnail`] checks the pixels before decoding), and at most
//! [`AT_ONCE`] such jobs run at a time, on the blocking pool, so that a burst of uploads waits
//! its turn instead of multiplying the peak memory and stalling the other requests.

use std::io::Cursor;

use safeduty_roster::{ReadError, Sheet};
use tokio::sync::Semaphore;

/// How many heavy jobs run at once, whatever the number of requests.
pub const AT_ONCE: usize = 2;

static PERMITS: Semaphore = Semaphore::const_new(AT_ONCE);

/// Longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 240;

/// Largest picture decoded for a thumbnail, in pixels (16 megapixels: 64 MiB as RGBA, within
/// the 100 MB a single upload may cost). A bigger picture is kept as evidence, without a
/// thumbnail; its size is read from its header, never by decoding it.
pub const MAX_THUMBNAIL_PIXELS: u64 = 16_000_000;

/// Most memory the decoder may allocate for one picture, in bytes.
const MAX_DECODE_ALLOC: u64 = 80 * 1024 * 1024;

/// Runs `job` on a copy of `input` on the blocking pool once one of the [`AT_ONCE`] permits is
/// free; the copy is made only then, so that waiting jobs hold no more than their requests do.
///
/// # Panics
/// Re-raises a panic of `job`.
async fn run<T: Send + 'static>(input: &[u8], job: fn(&[u8]) -> T) -> T {
    bounded(&PERMITS, || input.to_vec(), move |input| job(&input)).await
}

/// Runs `job` on the blocking pool once one of `permits` is free, on the input `make` gives
/// (called only then, so that a waiting job holds nothing extra). The one way CPU-bound work
/// leaves the async workers: here for heavy uploads, in [`crate::identity`] for password hashes.
///
/// # Panics
/// Re-raises a panic of `job`.
pub(crate) async fn bounded<I: Send + 'static, T: Send + 'static>(
    permits: &'static Semaphore,
    make: impl FnOnce() -> I,
    job: impl FnOnce(I) -> T + Send + 'static,
) -> T {
    // The semaphores are never closed, so acquiring cannot fail.
    let _permit = permits.acquire().await.ok();
    let input = make();
    match tokio::task::spawn_blocking(move || job(input)).await {
        Ok(out) => out,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Reads an uploaded roster or account list ([`safeduty_roster::read`]) as a heavy job.
///
/// # Errors
/// The reader's [`ReadError`].
pub async fn read_sheet(bytes: &[u8]) -> Result<Sheet, ReadError> {
    run(bytes, safeduty_roster::read).await
}

/// The text of a document (.docx or PDF) read with the plan reader
/// ([`safeduty_plan::read_document`]) as a heavy job.
///
/// # Errors
/// The reader's error, in words.
pub async fn read_document(bytes: &[u8], file_name: &str) -> Result<String, String> {
    let name = file_name.to_string();
    bounded(
        &PERMITS,
        || bytes.to_vec(),
        move |b| safeduty_plan::read_document(&b, &name).map_err(|e| e.to_string()),
    )
    .await
}

/// A JPEG thumbnail of a picture, at most [`THUMBNAIL_SIDE`] pixels a side, made as a heavy
/// job; `None` when the picture is larger than [`MAX_THUMBNAIL_PIXELS`] or cannot be decoded
/// within the limits (it is kept, without a thumbnail).
pub async fn thumbnail(bytes: &[u8]) -> Option<Vec<u8>> {
    run(bytes, make_thumbnail).await
}

fn make_thumbnail(bytes: &[u8]) -> Option<Vec<u8>> {
    let reader = || {
        image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .ok()
    };
    let (w, h) = reader()?.into_dimensions().ok()?;
    if u64::from(w) * u64::from(h) > MAX_THUMBNAIL_PIXELS {
        return None;
    }
    let mut decoder = reader()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    decoder.limits(limits);
    let img = decoder.decode().ok()?;
    let small = img.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE).into_rgb8();
    drop(img);
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&small)
        .ok()?;
    Some(out.into_inner())
}
