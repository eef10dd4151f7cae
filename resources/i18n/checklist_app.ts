<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name></name>
    <message>
        <source>First start — {database}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This database has no users yet. Create the administrator account, who then adds the nurses, coordinators and charge nurses — or load synthetic demo data to try the app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator user id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User &amp;id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load demo data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Synthetic patients and one account per role, never real people:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading synthetic demo data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo data could not be loaded: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo data loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{created} synthetic cases created ({total} in all). Demo accounts (user / password):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A report for IT is in {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No report could be written (the log folder is unusable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong inside the app. Your saved answers are safe in the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready and signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed with override</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rescheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 4 weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why cases are not ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Procedure type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nurse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print / Save as PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top reasons cases were not ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pe&amp;riod</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Procedure t&amp;ype</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N&amp;urse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median time from first answer to signing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overrides, by who authorised them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weekly trend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top reasons cases were NOT READY at some save (Enter opens the records)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From/To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting the period&apos;s cases…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} cases scheduled {first} to {last}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No overrides in this period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No signed case in this period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>under 1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: {n} case(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(authoriser not named)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases NOT READY at some save for: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases scheduled {first} to {last} · procedure: {kind} · nurse: {nurse}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcomes ({n} cases)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top reasons cases were NOT READY at some save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason not ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No case was NOT READY.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authorised by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not ready at some save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median time from first answer to signing: {t}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts from the saved checklists; no patient is named in this report.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The records behind a reason are on the Records page, for charge nurses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{percent}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{cases} of {total} cases, {percent}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter or double-click: open these records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>week of {day}: {cases} cases, {blocked} not ready at some save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No cases in this period</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
