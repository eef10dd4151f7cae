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
        <source>{n} record(s) sent to {queue} at {time}, by {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not printed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records not sent are still in the queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what}; waiting for the printer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending {n} record(s) to {queue}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printer&apos;s jobs could not be read: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printed: {printed} record(s), as the printer reports; cancelled and back in the queue: {back}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
