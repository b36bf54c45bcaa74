//! The app against a fake API behind `window.fetch`: sign-in, the Retry
//! action, and the overview reload a resync asks for.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use ytempire_dashboard::components::toast::ToastRegion;
use ytempire_dashboard::pages::login::LoginPage;
use ytempire_dashboard::pages::overview::OverviewPage;
use ytempire_dashboard::state::toasts::{ToastAction, ToastLevel, ToastSpec};
use ytempire_dashboard::state::{Session, Toasts, provide_session, provide_toasts};
use ytempire_protocol::{ApiError, Id, LoginResponse, Metrics, Overview, Timestamp, Usd, User};

use crate::fakes::{FakeServer, Reply};
use crate::support::{Mounted, mount, mount_signed_in_app, toast_titles, wait_until};

fn login_response() -> LoginResponse {
    LoginResponse {
        token: "token-1".into(),
        user: User {
            id: Id::new("u-1").unwrap(),
            name: "Demo Creator".into(),
            email: "demo@ytempire.local".into(),
        },
        expires_at: Timestamp::from_millis(js_sys::Date::now() as i64 + 3_600_000),
    }
}

fn unauthorized() -> Reply {
    Reply::json(
        401,
        &ApiError {
            error: "invalid email or password".into(),
            field: None,
        },
    )
}

fn type_into(mounted: &Mounted, selector: &str, value: &str) {
    let input: web_sys::HtmlInputElement = mounted.one(selector).unwrap().unchecked_into();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

fn mount_login() -> (Mounted, Session) {
    let handle = std::rc::Rc::new(std::cell::Cell::new(None));
    let out = handle.clone();
    let mounted = mount(move || {
        out.set(Some(provide_session()));
        view! { <LoginPage /> }
    });
    (mounted, handle.take().unwrap())
}

fn sign_in(mounted: &Mounted, password: &str) {
    type_into(mounted, "#email", "demo@ytempire.local");
    type_into(mounted, "#password", password);
    mounted.click("button[type=submit]");
}

#[wasm_bindgen_test]
async fn wrong_credentials_say_so_and_stay_signed_out() {
    let server = FakeServer::install(|_| unauthorized());
    let (mounted, session) = mount_login();
    sign_in(&mounted, "wrong");
    wait_until("error shown", || {
        mounted.text("[data-testid=login-error]").as_deref() == Some("Invalid email or password.")
    })
    .await;
    assert!(!session.is_authenticated());
    let seen = server.seen();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].path, "/api/v1/auth/login");
    assert!(
        seen[0].body.contains(r#""password":"wrong""#),
        "{}",
        seen[0].body
    );
}

#[wasm_bindgen_test]
async fn a_401_for_an_old_token_leaves_the_new_session_signed_in() {
    let (_mounted, session) = mount_login();
    session.login(login_response());
    let old = session.client();
    session.login(LoginResponse {
        token: "token-2".into(),
        ..login_response()
    });
    let rejected = || {
        Err::<(), _>(ytempire_dashboard::api::ApiError::Unauthorized(ApiError {
            error: "authentication required".into(),
            field: None,
        }))
    };
    assert!(session.check(&old, rejected()).is_err());
    assert_eq!(session.token().as_deref(), Some("token-2"));
    assert!(session.check(&session.client(), rejected()).is_err());
    assert!(!session.is_authenticated());
}

#[wasm_bindgen_test]
async fn signing_in_keeps_the_session_across_reloads() {
    let _server = FakeServer::install(|_| Reply::json(200, &login_response()));
    let (mounted, session) = mount_login();
    sign_in(&mounted, "demo");
    wait_until("signed in", || session.is_authenticated()).await;
    assert_eq!(
        session.user().map(|u| u.name).as_deref(),
        Some("Demo Creator")
    );

    // A second app on the same page, as after a reload, finds the session.
    let (_reloaded, restored) = mount_login();
    assert_eq!(restored.token().as_deref(), Some("token-1"));

    session.logout();
    let (_after_logout, fresh) = mount_login();
    assert!(!fresh.is_authenticated());
}

fn mount_toasts_signed_in() -> (Mounted, Toasts, Session) {
    let handle = std::rc::Rc::new(std::cell::Cell::new(None));
    let out = handle.clone();
    let mounted = mount(move || {
        let session = provide_session();
        session.login(login_response());
        out.set(Some((provide_toasts(), session)));
        view! { <ToastRegion /> }
    });
    let (toasts, session) = handle.take().unwrap();
    (mounted, toasts, session)
}

fn retry_toast(toasts: Toasts) {
    toasts.push(
        ToastSpec::new(
            ToastLevel::Error,
            "Video Generation Failed",
            "Failed at audio: x",
            None,
        )
        .with_action(ToastAction::RetryVideo(Id::new("v-1").unwrap())),
    );
}

#[wasm_bindgen_test]
async fn retry_posts_to_the_retry_endpoint_and_confirms() {
    let server = FakeServer::install(|_| Reply::text(202, ""));
    let (mounted, toasts, session) = mount_toasts_signed_in();
    retry_toast(toasts);
    wait_until("toast shown", || toast_titles(&mounted).len() == 1).await;
    mounted.click("[data-testid=toast-action]");
    wait_until("confirmation", || {
        toast_titles(&mounted) == ["Retry Queued"]
    })
    .await;
    assert_eq!(server.count("POST", "/api/v1/videos/v-1/retry"), 1);
    session.logout();
}

#[wasm_bindgen_test]
async fn a_401_from_the_api_signs_the_user_out() {
    let _server = FakeServer::install(|_| unauthorized());
    let (mounted, toasts, session) = mount_toasts_signed_in();
    retry_toast(toasts);
    wait_until("toast shown", || toast_titles(&mounted).len() == 1).await;
    mounted.click("[data-testid=toast-action]");
    wait_until("signed out", || !session.is_authenticated()).await;
    wait_until("failure reported", || {
        toast_titles(&mounted) == ["Retry Failed"]
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_resync_reloads_the_overview_at_once() {
    let server = FakeServer::install(|_| {
        Reply::json(
            200,
            &Overview {
                metrics: Metrics {
                    channel_count: 0,
                    active_channels: 0,
                    videos_today: 42,
                    failed_today: 0,
                    processing_now: 0,
                    cost_today: Usd::ZERO,
                    daily_budget: Usd::new(50.0).unwrap(),
                    revenue_today: Usd::ZERO,
                    average_cost_per_video: Usd::ZERO,
                },
                channels: Vec::new(),
                generated_at: Timestamp::from_millis(js_sys::Date::now() as i64),
                last_event_id: None,
            },
        )
    });
    let (mounted, ws) = mount_signed_in_app(|| view! { <OverviewPage /> });
    assert_eq!(server.count("GET", "/api/v1/dashboard/overview"), 0);

    ws.receive(r#"{"type":"resync","oldestEventId":100}"#);
    wait_until("reloaded overview shown", || {
        mounted.text("[data-testid=metric-videos-today]").as_deref() == Some("42")
    })
    .await;
    assert_eq!(server.count("GET", "/api/v1/dashboard/overview"), 1);
}
