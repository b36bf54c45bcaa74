//! UI components, one per folder with its stylesheet. They read stores from
//! context and hold no logic of their own.

pub mod app_shell;
pub mod channel_list;
pub mod connection_chip;
pub mod cost_alert_banner;
pub mod diagnostics_panel;
pub mod format;
pub mod metric_card;
pub mod realtime_boundary;
pub mod recent_videos;
pub mod toast;
