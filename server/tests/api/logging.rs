//! `--log-format json`: every log line is one JSON object a collector can
//! parse.

use serde_json::Value;

use crate::common::temp_dir;

#[test]
fn json_logs_are_one_object_per_line() {
    let dir = temp_dir();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ytempire-server"))
        .arg("--db")
        .arg(dir.path().join("fresh.db"))
        .args(["--log-format", "json", "user", "list"])
        .env("RUST_LOG", "info")
        .output()
        .expect("running ytempire-server");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let logs: Vec<Value> = stdout
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let migration = logs
        .iter()
        .find(|log| log["fields"]["message"] == "applied database migration")
        .unwrap_or_else(|| panic!("no migration logged as JSON in {stdout}"));
    assert_eq!(migration["level"], "INFO");
    assert!(migration["fields"]["version"].is_u64(), "{migration}");
    assert!(migration["timestamp"].is_string(), "{migration}");
}
