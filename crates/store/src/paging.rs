//! The one shape of a paged list: a [`PageRequest`] (page number from 1, rows per page) in, a
//! [`Page`] (the page's rows and the total counted in SQL) out. Every paged query orders by a
//! unique key last (an id), so that page 2 never repeats or skips a row of page 1 when many rows
//! share a sort value — on PostgreSQL as on SQLite — and pages with `LIMIT … OFFSET …`
//! ([`crate::sql::Sql::push_page`]).

use serde::Serialize;

/// Rows per page unless asked otherwise.
pub const DEFAULT_PER_PAGE: u32 = 50;

/// The most rows one page may hold (a larger request is cut to it).
pub const MAX_PER_PAGE: u32 = 200;

/// Which page of a list to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    page: u32,
    per_page: u32,
}

impl Default for PageRequest {
    fn default() -> PageRequest {
        PageRequest {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl PageRequest {
    /// Page `page` (from 1; 0 reads as 1) of `per_page` rows (1 to [`MAX_PER_PAGE`]; outside,
    /// the nearest bound).
    pub fn new(page: u32, per_page: u32) -> PageRequest {
        PageRequest {
            page: page.max(1),
            per_page: per_page.clamp(1, MAX_PER_PAGE),
        }
    }

    /// The page number, from 1.
    pub fn page(self) -> u32 {
        self.page
    }

    /// Rows per page.
    pub fn per_page(self) -> u32 {
        self.per_page
    }

    /// Rows before this page.
    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    /// The rows of this page, in the list's order.
    pub rows: Vec<T>,
    /// Rows matching in all pages.
    pub total: i64,
    /// This page's number, from 1.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

impl<T> Page<T> {
    /// The page `request` asked for, holding `rows` of `total`.
    pub fn new(rows: Vec<T>, total: i64, request: PageRequest) -> Page<T> {
        Page {
            rows,
            total,
            page: request.page,
            per_page: request.per_page,
        }
    }

    /// How many pages the list has (at least 1, an empty list being one empty page).
    pub fn pages(&self) -> u32 {
        let per = i64::from(self.per_page.max(1));
        u32::try_from((self.total.max(1) + per - 1) / per).unwrap_or(u32::MAX)
    }

    /// The position in the whole list (from 1) of this page's first row.
    pub fn first_number(&self) -> i64 {
        i64::from(self.page.max(1) - 1) * i64::from(self.per_page) + 1
    }

    /// The same page with each row mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            rows: self.rows.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_pages() {
        assert_eq!(PageRequest::new(0, 0), PageRequest::new(1, 1));
        assert_eq!(PageRequest::new(3, 10_000).per_page(), MAX_PER_PAGE);
        assert_eq!(PageRequest::new(3, 20).offset(), 40);
        let p = Page::new(vec![1, 2], 101, PageRequest::new(3, 50));
        assert_eq!(p.pages(), 3);
        assert_eq!(p.first_number(), 101);
        assert_eq!(
            Page::<i32>::new(vec![], 0, PageRequest::default()).pages(),
            1
        );
        assert_eq!(p.map(|x| x * 2).rows, vec![2, 4]);
    }
}
