fn main() {
    leptos::mount::mount_to_body(ytempire_dashboard::App);
}
