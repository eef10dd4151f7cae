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
        <source>Superseded by amendment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pre-procedure checklists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed records waiting to be printed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show records already &amp;sent to the printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records sent to a printer, newest first, to confirm or reprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed records not yet printed. Select one or several, then Print.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the selected records to a printer (Ctrl+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pre&amp;view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the selected record&apos;s PDF (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select every record in the queue (Ctrl+A in the table)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the queue again (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The print queue could not be read: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records sent to the printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} record to print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} records to print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A version superseded by an amendment is not printed again: print the latest version once it is signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{verb} {n} records…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No record was marked printed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print {n} record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print {n} records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was sent to the printer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent but not recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The records were sent to the printer, but this could not be recorded. Check the paper and tell the charge nurse.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{records} ({pages}) sent to {printer} at {at:%H:%M}, by {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Did it print?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what}. Did every page come out of the printer?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes, all printed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No — put them back in the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what}: printed, confirmed by {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what}: did not print; back in the queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A record is no longer in the print queue (printed on another workstation?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was printed or marked printed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} · MRN {mrn}: {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was printed or marked printed. Tell the charge nurse.</source>
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
    <message>
        <source>Pre-procedure checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: {db_display}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: opening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your user id and password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose your own password to continue: the one you used was set by an administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password was reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{app_title} — log in — {db_display}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{app_title} — log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose your own password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An administrator set your password. Choose one only you know: your signature key is locked with it, so nobody else can sign in your name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reset_notice}

Choose a password only you know. To keep your signing key, also give your password from before the reset; without it a charge nurse or a second administrator issues you a new key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password before the reset (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Before the reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New user id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name (printed with every signature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initial password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initial password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset a password (a nurse&apos;s signing key is replaced too)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User id whose password to reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added {full_name} ({roles_text}) as “{username}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password set for “{username}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke a signing key (the user signs nothing more until their password is reset)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User id whose signing key to revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the revocation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. workstation lost, password shared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issue a fresh CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-sign the site&apos;s revocation list (needed within a year, and before a time-stamp authority is turned on)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>U&amp;ser id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The revocation list could not be read: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No revocation list issued yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site CRL number {number}, issued {issued}; valid until {until}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the user id and the reason.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the signing key of “{user}”? They cannot sign until an administrator resets their password; what they signed before stays valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke signing key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked the signing key of “{user}” (site CRL number {number}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issued site CRL number {number}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Female</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Male</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bilateral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Midline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not applicable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MRN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the wristband or type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduled day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduled time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HH:MM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the case (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;MRN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Born</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Se&amp;x</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Procedure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sc&amp;heduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Known patient: name, birth date and sex come from this MRN&apos;s earlier record. If they are wrong, a charge nurse or administrator corrects them; a different person needs their own MRN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not known yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. L4-L5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ These levels need clinician confirmation: no source gives them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the MRN (scan the wristband or type it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the patient&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the date of birth as YYYY-MM-DD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the sex.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the procedure.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the side.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the scheduled time as HH:MM.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the scheduled day as YYYY-MM-DD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the new date and time as 2026-12-04 09:30.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} · MRN {mrn} · {at:%a %d %b %H:%M}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reschedule case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reschedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New date and time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new date and time, for example 2026-12-04 09:30</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the new time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For example: patient has a cold, moved to Friday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the new date and time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why the case moves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign as cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The checklist is signed as it stands with the meaning “{label}” and your reason. It is never printed as a ready record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason the procedure is cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For example: procedure no longer indicated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why the procedure is cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Then your password, to sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing the cancellation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{exc} Nothing was signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a case first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This checklist is {status}; only a draft can be changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;schedule…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rescheduled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel &amp;case…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed as “{cancelled_label}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the worklist could not be read ({error})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your password to sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign checklist — {label}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} · MRN {mrn}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Override reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the procedure goes ahead despite the blockers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Override authorised by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the {who} who authorised it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why signing is not possible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blockers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Override reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Authorised by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By signing you state:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready to sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed on another workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was signed. Check the reloaded checklist and sign again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Readiness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bilat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>midline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MWL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HL7</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>typed by a nurse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DICOM worklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HL7 schedule feed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{state} — {ready}: a hold or a fast ends then</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{state} — open the case to see why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}, born {born:%d %b %Y}, MRN {mrn}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{status}. From: {source}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, accession {accession}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft (amendment)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, printed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, sent to printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, removed from schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready from {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous day (Alt+Left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to today (Alt+Home)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next day (Alt+Right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan or type an MRN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan or type MRN, Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today&apos;s cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No cases on this day. Press Ctrl+N to start one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The worklist could not be read: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today, {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{day} — {n} case(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} cases on this day for MRN {mrn}: pick one in the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No case for MRN {mrn} on this day — starting a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh from schedule is off: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh from schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read today&apos;s cases from the DICOM worklist (Ctrl+Shift+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refreshing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the schedule: {report}{refused}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The schedule could not be read: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign the checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign as prepared by you (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry saving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The checklist is reloaded now; check your last answer and give it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the database cannot be reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm the level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The schedule gave no spinal level for this procedure. Level (e.g. L4-L5):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ NOT SAVED — {message} Your last answers stay on screen, marked “not saved”; press Retry saving when the database is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{done} of {n} answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{status} {at:%a %d %b %H:%M} — read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 08:00, yesterday 20:00, sat 08:00, 2026-11-21 08:00, now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yesterday 22:00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a time; write it like 08:00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a time of day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a real date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a day; write yesterday, a weekday or YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a date and time; {hint}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in the future</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} h ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{days} d {hours} h ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set to the current time (or type &apos;now&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs clinician confirmation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note — Enter to save, Esc to cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note… (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the answer (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved — </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for N/A: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why N/A? {hint}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — Enter to save, Esc to cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name: {who} — Enter to save, Esc to cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ({hint})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write why this is N/A{hint}, then press Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write {what} in the note, then press Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N/A needs a reason.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No antithrombotic medicines taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patient takes none of these medicines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add medicine: drug</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a drug name, or &apos;none&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add medicine: drug name, or &apos;none&apos; if none taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add medicine: its name (not in the table)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the medicine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add medicine: last dose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add medicine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last dose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shown} (not in the table)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last dose of {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (interval not yet confirmed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A listed medicine needs its last dose time; use Remove to take it off the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a drug from the list (type part of its name).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the time of the last dose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the medicine&apos;s name: it is not in the site&apos;s table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bilateral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Born {born:%d %b %Y} ({age} y, {sex}) · MRN {mrn}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · scheduled {at:%a %d %b %H:%M}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} blocker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} blockers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} unanswered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every required item answered, nothing blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blocker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kind}: {text}. Press Enter to go to the item.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No case open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Readiness: no case open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a case from the worklist, or press Ctrl+N for a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Readiness: {word}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> and {n} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>○ Unanswered: {names}{more}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to the first unanswered item (F8 walks through every problem)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (hard stop)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and {n} more (F8: next problem)</source>
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
    <message>
        <source>PDF/A-3b: the signed PDF with its data inside</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FHIR R4 Bundle (JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FHIR JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export for the EHR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HL7 destination (host:port)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interface-engine.example:2575</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send &amp;HL7</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the signed PDF as MDM^T02 (T10 when it replaces one) and wait for the ACK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was sent where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HL7 &amp;to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent to the EHR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{when:%Y-%m-%d %H:%M} {kind} to {destination}: {outcome}{why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing sent yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not export: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending to {destination}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending to {destination} and waiting for its answer (up to {seconds} s)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send to the EHR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer from {destination} within {seconds} s: the message is not confirmed and stays queued (checklist-app hl7 flush sends it again).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF preview: {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print (Ctrl+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the PDF to a file (Ctrl+Shift+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} page(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printer could not be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the checklist PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PDF could not be saved to {path}: {error}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your password to co-sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co-sign as reviewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why co-signing is not possible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co-sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By co-signing you state:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready to co-sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not co-signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start an amendment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An amendment is a new draft version of this checklist. The signed version stays exactly as it is and is marked “amended”; the new version must be signed again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the amendment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is wrong in the signed version, and why it must change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start amendment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the reason (at least {n} characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amendment not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} · MRN {mrn} · {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the signatures and the stored record again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Co-sign…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign as “Reviewed by” with your password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Amend…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new version of this checklist, with a reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature check: {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is an amendment of an earlier signed version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This version was amended; a newer version replaces it. It stays here exactly as it was signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record&apos;s PDF could not be read ({error}); nothing was printed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printer could not be started; check that it is on and selected, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printer refused a new page; the print job is incomplete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The print job could not be completed; check the printer and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paper copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Did not print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printed ({when})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent to printer {when} by {user}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent to printer {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}, born {born}, MRN {mrn}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of matching records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search patient name or MRN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient name or MRN (start of a word)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nurse user id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User id, exact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduled from date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduled to date (included)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the record and its PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the record&apos;s signatures and stored hash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new version of the record, with a reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export for the &amp;EHR…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as PDF/A, FHIR or JSON, or send over HL7, and see what was sent where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to the search field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search again (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Nurse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stat&amp;us</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rea&amp;diness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The From date is after the To date; nothing can match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n:,} record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n:,} records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a record first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign as “Reviewed by” with your password (Ctrl+Shift+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new version of the record, with a reason (Ctrl+Shift+A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co-signed as reviewer. The record now carries both signatures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amendment started: the new draft version opens in the checklist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed yet — a draft has no signatures to verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signatures valid ✓ — {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signatures valid ✓</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✖ TAMPERED: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✖ NOT VALID: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no verification result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database could not be opened: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tip} ({shortcut})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{setting}={raw} is not a number of minutes; use e.g. {setting}=10.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{setting}={raw} must be more than 0 and at most {n} minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{exc} Using {n:g} minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your roles have no pages here yet. Ask an administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New case…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find by MRN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lock screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sign…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;PDF preview…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next &amp;problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to the next blocker or unanswered item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worklist ↔ checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the worklist and the open case again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a case to sign it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This checklist is already {status}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed. The signed PDF is shown: print it or save it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked: patient data is hidden. Log in to continue — the same person, or someone else.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{app_title} — {who} — {db_display}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {at:%H:%M:%S}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT SAVED — database unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>READY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT READY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INCOMPLETE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✖ Not ready — procedure cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
