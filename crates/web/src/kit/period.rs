//! The reporting period (报告期): the one span of years every page of
//! figures and lists shows. It is asked for in the URL (`from` and `to`, or
//! `year`), remembered for the session in a cookie once asked for, and is
//! otherwise the current reporting year (`Store::reporting_year`). A period
//! that cannot be read is not an error page: the page shows the remembered
//! or default period and names the problem beside the control.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;
use qizhi_core::figures::Span;

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;

/// The cookie holding the session's period, `FROM-TO`.
pub const PERIOD_COOKIE: &str = "qizhi_period";

/// The longest span a page shows.
pub const MAX_YEARS: i32 = 20;

/// The period of a request.
#[derive(Debug, Clone)]
pub struct Period {
    pub span: Span,
    /// The current reporting year (the default period).
    pub reporting_year: i32,
    /// What was wrong with the period asked for, in both languages.
    pub problem: Option<String>,
}

impl Period {
    /// The period as the page's control shows it.
    pub fn view(&self, lang: Lang, path: &str) -> PeriodView {
        let (path, keep) = match path.split_once('?') {
            Some((p, q)) => (p.to_string(), kept_pairs(q)),
            None => (path.to_string(), vec![]),
        };
        PeriodView {
            from: self.span.from,
            to: self.span.to,
            reporting_year: self.reporting_year,
            is_default: self.span == Span::year(self.reporting_year),
            problem: self.problem.as_deref().map(|p| lang.message(p)),
            path,
            keep,
        }
    }
}

/// What `partials/period.html` draws: the span, a form that asks for
/// another one on the same page (keeping the page's other parameters), and
/// the problem with the one asked for.
#[derive(Debug, Clone)]
pub struct PeriodView {
    pub from: i32,
    pub to: i32,
    pub reporting_year: i32,
    pub is_default: bool,
    pub problem: Option<String>,
    pub path: String,
    pub keep: Vec<(String, String)>,
}

impl PeriodView {
    pub fn single(&self) -> bool {
        self.from == self.to
    }

    /// This page for the current reporting year.
    pub fn current_href(&self) -> String {
        self.href(self.reporting_year, self.reporting_year)
    }

    /// This page for another span.
    pub fn href(&self, from: i32, to: i32) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.keep {
            q.append_pair(k, v);
        }
        q.append_pair("from", &from.to_string()).append_pair("to", &to.to_string());
        format!("{}?{}", self.path, q.finish())
    }
}

/// The pairs of a query a period form carries along: all but the period's
/// own and the page number (another period starts at the first page).
fn kept_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| !matches!(k.as_ref(), "from" | "to" | "year" | "page"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The period a query asks for: `None` when it asks for none.
pub fn asked(query: &str) -> Option<Result<Span, String>> {
    let (mut from, mut to, mut year) = (None, None, None);
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        let v = v.trim().to_string();
        match k.as_ref() {
            "from" if !v.is_empty() => from = Some(v),
            "to" if !v.is_empty() => to = Some(v),
            "year" if !v.is_empty() => year = Some(v),
            _ => {}
        }
    }
    if from.is_none() && to.is_none() {
        from = year.clone();
        to = year;
    }
    if from.is_none() && to.is_none() {
        return None;
    }
    Some(read(from.as_deref(), to.as_deref()))
}

fn read(from: Option<&str>, to: Option<&str>) -> Result<Span, String> {
    let year = |v: Option<&str>, zh: &str, en: &str| -> Result<Option<i32>, String> {
        v.map(|v| {
            v.parse::<i32>().map_err(|_| format!("{zh}应为年份数字，而不是 “{v}” ({en} must be a year, not “{v}”)"))
        })
        .transpose()
    };
    let from = year(from, "起始年度", "the first year")?;
    let to = year(to, "截止年度", "the last year")?;
    let span = Span::new(from, to, 0)?;
    if span.to - span.from >= MAX_YEARS {
        return Err(format!("报告期最长 {MAX_YEARS} 年 (a period spans at most {MAX_YEARS} years)"));
    }
    Ok(span)
}

fn remembered(parts: &Parts) -> Option<Span> {
    let value = crate::auth::cookie(&parts.headers, PERIOD_COOKIE)?;
    let (from, to) = value.split_once('-')?;
    read(Some(from), Some(to)).ok()
}

impl FromRequestParts<AppState> for Period {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Period, AppError> {
        let reporting_year = state.store.reporting_year().await?;
        let fallback = || remembered(parts).unwrap_or(Span::year(reporting_year));
        let (span, problem) = match asked(parts.uri.query().unwrap_or("")) {
            Some(Ok(span)) => (span, None),
            Some(Err(problem)) => (fallback(), Some(problem)),
            None => (fallback(), None),
        };
        Ok(Period { span, reporting_year, problem })
    }
}

/// Remembers a page's period for the session: a page read with a period
/// that can be read sets the cookie the next page starts from.
pub async fn remember(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let asked = (request.method() == Method::GET && !request.uri().path().starts_with("/api/"))
        .then(|| asked(request.uri().query().unwrap_or("")))
        .flatten()
        .and_then(Result::ok);
    let (parts, body) = request.into_parts();
    let secure = crate::auth::secure_cookies(&parts, &state.config);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if let Some(span) = asked.filter(|_| response.status().is_success()) {
        let cookie = crate::auth::session_cookie(PERIOD_COOKIE, format!("{}-{}", span.from, span.to), secure);
        if let Ok(value) = cookie.to_string().parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_asked_by_its_years_or_by_one_year() {
        assert_eq!(asked("from=2022&to=2024"), Some(Ok(Span { from: 2022, to: 2024 })));
        assert_eq!(asked("year=2023&q=x"), Some(Ok(Span::year(2023))));
        assert_eq!(asked("to=2023"), Some(Ok(Span::year(2023))));
        assert_eq!(asked("q=x&from=&to="), None);
    }

    #[test]
    fn a_period_that_cannot_be_read_names_the_field() {
        let e = asked("from=abc&to=2024").unwrap().unwrap_err();
        assert!(e.contains("起始年度") && e.contains("abc"), "{e}");
        assert!(asked("from=2024&to=2020").unwrap().is_err());
        assert!(asked("from=2000&to=2024").unwrap().unwrap_err().contains("20"));
    }

    #[test]
    fn the_control_keeps_the_pages_other_parameters() {
        assert_eq!(
            kept_pairs("unit=3&from=2020&page=4&q=%E7%A6%8F"),
            [("unit".into(), "3".into()), ("q".into(), "福".into())]
        );
    }
}
