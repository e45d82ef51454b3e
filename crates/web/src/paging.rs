//! The one page-navigation shape of every paged list page: the page number read from the query
//! string ([`page_number`]) and the navigation a template shows with `{% include "pager.html" %}`
//! ([`Pager`]: 共 N 条, 第 x/y 页, 上一页 / 下一页), whose links keep the list's filters.

use safeduty_store::paging::{DEFAULT_PER_PAGE, Page, PageRequest};

use crate::error::AppError;

/// Reads a page number (`""` is page 1) as a request of [`DEFAULT_PER_PAGE`] rows.
///
/// # Errors
/// [`AppError::BadRequest`] (页码无效) for anything but a whole number from 1.
pub(crate) fn page_number(value: &str) -> Result<PageRequest, AppError> {
    page_request(value, "")
}

/// Reads a page number and a page size (`""`: page 1, [`DEFAULT_PER_PAGE`] rows; a size above
/// the store's maximum is cut to it).
///
/// # Errors
/// [`AppError::BadRequest`] for a page or size that is not a whole number from 1.
pub(crate) fn page_request(page: &str, per_page: &str) -> Result<PageRequest, AppError> {
    let number = |v: &str, what: &str, default: u32| -> Result<u32, AppError> {
        let v = v.trim();
        if v.is_empty() {
            return Ok(default);
        }
        v.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            AppError::BadRequest(format!(
                "{what}“{}”无效，应为从 1 起的整数",
                v.chars().take(20).collect::<String>()
            ))
        })
    };
    Ok(PageRequest::new(
        number(page, "页码", 1)?,
        number(per_page, "每页条数", DEFAULT_PER_PAGE)?,
    ))
}

/// The navigation of one page of a list, for `pager.html`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pager {
    /// The list's path, e.g. `/enterprises`.
    path: String,
    /// The list's query string without the page (its filters), URL-encoded; may be empty.
    query: String,
    /// This page, from 1.
    pub(crate) page: u32,
    /// Pages in all (at least 1).
    pub(crate) pages: u32,
    /// Rows in all pages.
    pub(crate) total: i64,
}

impl Pager {
    /// The navigation of `page` of the list at `path` filtered by `query` (URL-encoded, without
    /// the page).
    pub(crate) fn new<T>(path: &str, query: &str, page: &Page<T>) -> Pager {
        Pager {
            path: path.to_string(),
            query: query.to_string(),
            page: page.page,
            pages: page.pages(),
            total: page.total,
        }
    }

    /// The navigation of page `page` (from 1) of `per_page` rows of a list of `total` rows
    /// read without a [`Page`] (the findings ledger's own page type).
    pub(crate) fn from_counts(
        path: &str,
        query: &str,
        page: u32,
        per_page: u32,
        total: i64,
    ) -> Pager {
        Pager::new(
            path,
            query,
            &Page::<()>::new(Vec::new(), total, PageRequest::new(page, per_page)),
        )
    }

    /// The link to page `n`, keeping the filters.
    pub(crate) fn href(&self, n: u32) -> String {
        // Empty parameters are dropped, so that the links stay short and readable.
        let kept: Vec<&str> = self
            .query
            .split('&')
            .filter(|p| !p.is_empty() && !p.ends_with('=') && !p.starts_with("page="))
            .collect();
        let mut q = kept.join("&");
        if n > 1 {
            if !q.is_empty() {
                q.push('&');
            }
            q.push_str(&format!("page={n}"));
        }
        if q.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{q}", self.path)
        }
    }

    /// The previous page's link, if there is one.
    pub(crate) fn prev(&self) -> Option<String> {
        (self.page > 1).then(|| self.href(self.page.min(self.pages + 1) - 1))
    }

    /// The next page's link, if there is one.
    pub(crate) fn next(&self) -> Option<String> {
        (self.page < self.pages).then(|| self.href(self.page + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filters_and_drop_empty_ones() {
        let page = Page::new(vec![(); 50], 120, PageRequest::new(2, 50));
        let p = Pager::new("/enterprises", "q=%E4%B8%9C&region=&status=draft", &page);
        assert_eq!((p.page, p.pages, p.total), (2, 3, 120));
        assert_eq!(
            p.prev().as_deref(),
            Some("/enterprises?q=%E4%B8%9C&status=draft")
        );
        assert_eq!(
            p.next().as_deref(),
            Some("/enterprises?q=%E4%B8%9C&status=draft&page=3")
        );
        let last = Pager::new("/x", "", &Page::new(vec![()], 1, PageRequest::default()));
        assert_eq!((last.prev(), last.next()), (None, None));
        assert!(page_number("0").is_err());
        assert!(page_number("二").is_err());
        assert_eq!(page_number("").unwrap(), PageRequest::default());
        assert_eq!(page_request("3", "20").unwrap().offset(), 40);
    }
}
