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
    <message>
        <source>Worklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>↑ / ↓</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pick a case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scan or type an MRN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alt+← / Alt+→</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the day before / after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tab, ↑ / ↓</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>next or previous item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 / 2 / 3 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>answer: Met, Not met, N/A; Yes, No; the options in order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N or F2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>clear the answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Esc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancel an N/A reason or a note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type 08:00, yesterday 20:00, sat 08:00, 2026-11-21 08:00 or now, then Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medicines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>part of a drug name, Enter, its last dose, Enter; &apos;none&apos; + Enter = none taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>next blocker, warning or unanswered item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>worklist ↔ checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read the page again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing and the PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sign (password, Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+P</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF preview; in it Ctrl+P prints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>save the PDF as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>close the preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not going ahead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reschedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancel (signed “Not ready — procedure cancelled”)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>print the selected records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+1, Ctrl+2 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lock the screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every command works from the keyboard:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
