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
        <source>Level</source>
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
        <source>{state} — {ready}: a hold or a fast ends then</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready from {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs clinician confirmation</source>
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
        <source>Sending to {destination}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending to {destination} and waiting for its answer (up to {seconds} s)…</source>
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
</context>
</TS>
