//! The route table: a router that remembers every path it was given, so that the application's
//! routes can be listed ([`crate::route_paths`]) from the same table the router is built from. The
//! authorization matrix test enumerates them, so a route added without a row in its table fails it.
//!
//! Every route gets the CSRF check ([`crate::csrf`]) on the methods it serves (an unserved method
//! still answers 405), so no handler can go without it; an upload route says its size limit here,
//! once, for both the check (which refuses a body declared too large before reading any of it)
//! and the body extractor.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::MethodRouter;

use crate::AppState;

/// How large the body of an upload route may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UploadLimit {
    /// The configured limit of attachments (`--max-upload-mib`), applied by
    /// [`crate::upload::UploadForm`] itself.
    Configured,
    /// A document read whole (plan, roster, notice, account list): at most this many bytes of
    /// file, plus room for the form around it.
    Document(usize),
}

/// Room for the multipart framing and the small fields around an upload's file.
pub(crate) const FORM_OVERHEAD: usize = 64 * 1024;

/// The body limit of a route without an upload (axum's default).
pub(crate) const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

impl UploadLimit {
    /// The largest body accepted, in bytes, under `configured` (the attachments' limit).
    pub(crate) fn body_bytes(self, configured: usize) -> usize {
        match self {
            UploadLimit::Configured => configured + FORM_OVERHEAD,
            UploadLimit::Document(n) => n + FORM_OVERHEAD,
        }
    }

    /// The file limit said in a refusal, in bytes.
    pub(crate) fn file_bytes(self, configured: usize) -> usize {
        match self {
            UploadLimit::Configured => configured,
            UploadLimit::Document(n) => n,
        }
    }
}

/// A router under construction with the paths added to it.
#[derive(Debug, Default)]
pub(crate) struct Routes {
    router: Router<AppState>,
    paths: Vec<String>,
}

impl Routes {
    /// An empty table.
    pub(crate) fn new() -> Routes {
        Routes::default()
    }

    /// Adds a route, as [`Router::route`], with the CSRF check on its methods.
    pub(crate) fn route(self, path: &str, methods: MethodRouter<AppState>) -> Routes {
        self.add(path, methods, None)
    }

    /// Adds an upload route whose body may be as large as `limit` says.
    pub(crate) fn upload(
        self,
        path: &str,
        methods: MethodRouter<AppState>,
        limit: UploadLimit,
    ) -> Routes {
        self.add(path, methods, Some(limit))
    }

    fn add(
        mut self,
        path: &str,
        methods: MethodRouter<AppState>,
        limit: Option<UploadLimit>,
    ) -> Routes {
        let mut methods = methods.route_layer(axum::middleware::from_fn(crate::csrf::check));
        if let Some(limit) = limit {
            methods = methods
                .layer::<_, std::convert::Infallible>(match limit {
                    // The upload form applies the configured limit itself.
                    UploadLimit::Configured => DefaultBodyLimit::disable(),
                    UploadLimit::Document(n) => DefaultBodyLimit::max(n + FORM_OVERHEAD),
                })
                .layer(axum::Extension(limit));
        }
        self.router = self.router.route(path, methods);
        self.paths.push(path.to_string());
        self
    }

    /// Adds every route of `other`, as [`Router::merge`].
    pub(crate) fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    /// Adds every route of `other` under `prefix`, as [`Router::nest`].
    pub(crate) fn nest(mut self, prefix: &str, other: Routes) -> Routes {
        self.router = self.router.nest(prefix, other.router);
        self.paths
            .extend(other.paths.into_iter().map(|p| format!("{prefix}{p}")));
        self
    }

    /// The router and the paths, in the order added.
    pub(crate) fn into_parts(self) -> (Router<AppState>, Vec<String>) {
        (self.router, self.paths)
    }
}
