//! `madoguchi audit`: a tenant's events, newest last; filters; JSON lines.

use chrono::Days;

use crate::helpers::{INSURER, OTHER_INSURER, Run, Setup, each_backend, operator, today_jst};

/// A tenant with a roster, postcards for everyone and A-0001 suspended.
fn busy_tenant(s: &Setup) {
    s.tenant_with_roster();
    s.issue("postcards.csv", &[]).success();
    s.run(&[
        "account", "suspend", "--tenant", INSURER, "--member", "A-0001",
    ])
    .success();
}

fn audit(s: &Setup, extra: &[&str]) -> Run {
    let mut args = vec!["audit", "--tenant", INSURER];
    args.extend_from_slice(extra);
    s.run(&args).success()
}

/// (time, actor, action, member) of each printed line.
fn fields(run: &Run) -> Vec<(String, String, String, String)> {
    run.lines()
        .iter()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                f.len(),
                5,
                "time, actor, action, member, detail: {line:?}\n{run}"
            );
            (
                f[0].to_owned(),
                f[1].to_owned(),
                f[2].to_owned(),
                f[3].to_owned(),
            )
        })
        .collect()
}

each_backend!(audit_prints_the_tenants_events_newest_last);
fn audit_prints_the_tenants_events_newest_last(s: Setup) {
    busy_tenant(&s);
    s.run(&[
        "tenant",
        "add",
        "--insurer-number",
        OTHER_INSURER,
        "--name",
        "第二健康保険組合",
    ])
    .success();
    let run = audit(&s, &[]);
    let events = fields(&run);
    let actions: Vec<&str> = events.iter().map(|e| e.2.as_str()).collect();
    let expected = [
        "tenant_added",
        "members_imported",
        "credentials_issued",
        "credentials_issued",
        "credentials_issued",
        "credentials_issue_run",
        "account_suspended",
    ];
    assert_eq!(
        actions,
        expected,
        "[{}] only this tenant's events, oldest first\n{run}",
        s.backend()
    );
    let times: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "[{}] newest last: {times:?}",
        s.backend()
    );
    assert!(
        times.iter().all(|t| t.ends_with("+09:00")),
        "[{}] JST: {times:?}",
        s.backend()
    );
    assert!(
        events.iter().all(|e| e.1 == operator()),
        "[{}] actor {}\n{run}",
        s.backend(),
        operator()
    );
    let last = run.lines().last().copied().unwrap_or_default();
    assert!(
        last.contains("account_suspended\tA-0001"),
        "[{}] {last}",
        s.backend()
    );
    assert!(
        run.stdout.contains("\"issued\":3"),
        "[{}] counts in the detail\n{run}",
        s.backend()
    );
}

each_backend!(audit_member_filter_shows_only_that_members_events);
fn audit_member_filter_shows_only_that_members_events(s: Setup) {
    busy_tenant(&s);
    let run = audit(&s, &["--member", "A-0001"]);
    let events = fields(&run);
    let actions: Vec<&str> = events.iter().map(|e| e.2.as_str()).collect();
    assert_eq!(
        actions,
        ["credentials_issued", "account_suspended"],
        "[{}]\n{run}",
        s.backend()
    );
    assert!(
        events.iter().all(|e| e.3 == "A-0001"),
        "[{}]\n{run}",
        s.backend()
    );
    let run = audit(&s, &["--member", "A-0002"]);
    assert_eq!(fields(&run).len(), 1, "[{}]\n{run}", s.backend());
}

each_backend!(audit_since_filters_by_time);
fn audit_since_filters_by_time(s: Setup) {
    busy_tenant(&s);
    let all = audit(&s, &[]).lines().len();
    assert_eq!(
        audit(&s, &["--since", "2000-01-01"]).lines().len(),
        all,
        "{}",
        s.backend()
    );
    let tomorrow = today_jst()
        .checked_add_days(Days::new(1))
        .expect("date")
        .to_string();
    let run = audit(&s, &["--since", &tomorrow]);
    assert!(
        run.stdout.is_empty(),
        "[{}] nothing after a future date\n{run}",
        s.backend()
    );
    let run = audit(&s, &["--since", "2099-01-01T00:00+09:00"]);
    assert!(run.stdout.is_empty(), "[{}]\n{run}", s.backend());
    s.run(&["audit", "--tenant", INSURER, "--since", "yesterday"])
        .failure(1)
        .stderr_has("--since");
}

each_backend!(audit_json_lines_carry_action_and_actor);
fn audit_json_lines_carry_action_and_actor(s: Setup) {
    busy_tenant(&s);
    let run = audit(&s, &["--json"]);
    let events: Vec<serde_json::Value> = run
        .lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("JSON line {l:?}: {e}")))
        .collect();
    assert_eq!(events.len(), 7, "[{}]\n{run}", s.backend());
    for e in &events {
        assert_eq!(e["actor"], operator().as_str(), "[{}] {e}", s.backend());
        assert_eq!(e["tenant"], INSURER, "[{}] {e}", s.backend());
        assert!(
            e["action"].is_string() && e["occurred_at"].is_string(),
            "[{}] {e}",
            s.backend()
        );
    }
    assert_eq!(events[0]["action"], "tenant_added", "{}", s.backend());
    let last = &events[6];
    assert_eq!(
        (&last["action"], &last["member_code"]),
        (&"account_suspended".into(), &"A-0001".into()),
        "{}",
        s.backend()
    );
    let run_event = events
        .iter()
        .find(|e| e["action"] == "credentials_issue_run")
        .expect("issue run event");
    assert_eq!(run_event["detail"]["issued"], 3, "{}", s.backend());
}

each_backend!(audit_of_an_unknown_tenant_is_refused);
fn audit_of_an_unknown_tenant_is_refused(s: Setup) {
    s.run(&["audit", "--tenant", INSURER])
        .failure(1)
        .stderr_has(INSURER);
}
