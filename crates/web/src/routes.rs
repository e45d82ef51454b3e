//! The route table: a router that remembers every path it was given, so that the application's
//! routes can be listed ([`crate::route_paths`]) from the same table the router is built from. The
//! authorization matrix test enumerates them, so a route added without a row in its table fails it.

use axum::Router;
use axum::routing::MethodRouter;

use crate::AppState;

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

    /// Adds a route, as [`Router::route`].
    pub(crate) fn route(mut self, path: &str, methods: MethodRouter<AppState>) -> Routes {
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
