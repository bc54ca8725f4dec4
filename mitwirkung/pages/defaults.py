"""The texts the site's own pages start with: German content (not catalogue strings), shown
until an admin saves the page, and saved as they are by `mitwirkung demo`.

Every gap the operator must fill is marked `[BITTE ERGÄNZEN: …]` (or `[BITTE PRÜFEN: …]`
where a prefilled fact depends on the city), so it stands out on the page and in the editor.
"""

import re

# Matches every mark of a gap the operator still has to fill.
PLACEHOLDER = re.compile(r"\[BITTE (?:ERGÄNZEN|PRÜFEN)\b")

IMPRINT = """\
## Angaben gemäß § 5 DDG

**[BITTE ERGÄNZEN: Name der Stadtverwaltung]**
[BITTE ERGÄNZEN: Straße und Hausnummer]
[BITTE ERGÄNZEN: Postleitzahl und Ort]

Die Stadt ist eine Körperschaft des öffentlichen Rechts.
Vertreten durch: [BITTE ERGÄNZEN: Oberbürgermeisterin oder Oberbürgermeister]

## Kontakt

Telefon: [BITTE ERGÄNZEN: Telefonnummer]
E-Mail: [BITTE ERGÄNZEN: E-Mail-Adresse]

## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV

[BITTE ERGÄNZEN: Name und Anschrift der verantwortlichen Person]
"""

PRIVACY = """\
Diese Seite erklärt, welche Daten MitWirkung über Sie speichert, wer sie sieht, wie lange \
wir sie aufbewahren und welche Rechte Sie haben.

## Verantwortliche Stelle

**[BITTE ERGÄNZEN: Name und Anschrift der Stadtverwaltung, Telefon, E-Mail-Adresse]**

## Datenschutzbeauftragte oder Datenschutzbeauftragter

**[BITTE ERGÄNZEN: Name oder Funktion, Anschrift, E-Mail-Adresse]**

## Besuch der Website

Wenn Sie eine Seite aufrufen, verarbeitet unser Server Ihre IP-Adresse, die aufgerufene \
Adresse und die Uhrzeit, um Ihnen die Seite zu senden. \
[BITTE ERGÄNZEN: ob und wie lange der Webserver diese Angaben protokolliert]

MitWirkung setzt nur ein technisch notwendiges Cookie: Es hält Ihre Anmeldung und Ihre \
Sprachwahl fest und schützt Formulare vor Missbrauch. Es gibt keine Analyse- oder \
Werbe-Cookies. Schriften, Bilder, Videos und Programme lädt Ihr Browser nur von unserem \
Server, nicht von Dritten.

Um Missbrauch zu verhindern, zählen wir, wie oft von einer IP-Adresse aus Formulare \
abgeschickt werden (Anmelden, Registrieren, Passwort zurücksetzen, Barriere melden). \
Diese Zähler verfallen nach spätestens einer Stunde.

Rechtsgrundlage: Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit \
[BITTE ERGÄNZEN: Vorschrift des Landesdatenschutzgesetzes].

## Ihr Konto

Für ein Konto speichern wir Ihren Benutzernamen, Vor- und Nachnamen, Ihre E-Mail-Adresse, \
Ihr Passwort (nur verschlüsselt, als Hash) und wann Sie der Datenschutzerklärung \
zugestimmt und Ihre E-Mail-Adresse bestätigt haben.

Wir brauchen diese Angaben, damit jede Person nur einmal abstimmt und wir Ihnen E-Mails \
zu Ihrem Konto senden können (Bestätigung, neues Passwort, Warnung bei vielen falschen \
Anmeldeversuchen).

**Wer Ihre Daten sieht:** Ihren Vor- und Nachnamen und Ihre E-Mail-Adresse sehen nur die \
Administratorinnen und Administratoren der Plattform, in der Verwaltung der Konten. \
Mitarbeitende der Stadt und Moderierende sehen sie nicht, andere Nutzerinnen und Nutzer \
auch nicht. Ihren Benutzernamen zeigt MitWirkung derzeit nicht öffentlich an; nur bei \
Mitarbeitenden der Stadt sehen andere Mitarbeitende den Benutzernamen bei den \
Papierstimmen, die sie eingegeben haben.

Rechtsgrundlage: Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit \
[BITTE ERGÄNZEN: Vorschrift des Landesrechts].

Speicherdauer: bis Sie Ihr Konto löschen. \
[BITTE ERGÄNZEN: ob nicht bestätigte oder lange nicht genutzte Konten gelöscht werden, \
und wann]

## Abstimmungen

Wenn Sie online abstimmen, speichern wir, *dass* Ihr Konto an dieser Abstimmung \
teilgenommen hat, und an welchem Tag. So kann jede Person nur einmal abstimmen. Ihre Wahl \
speichern wir getrennt davon, ohne Verbindung zu Ihrem Konto: Niemand, auch nicht die \
Stadt, kann feststellen, was Sie gewählt haben.

Stimmkarten aus Papier tragen keinen Namen. Wir speichern, wer von den Mitarbeitenden \
sie eingegeben hat.

Speicherdauer: [BITTE ERGÄNZEN: wie lange Teilnahmen und Ergebnisse aufbewahrt werden]

## E-Mails

Unsere E-Mails versenden wir über [BITTE ERGÄNZEN: Mailserver oder Dienstleister]. \
Nach dem Versand löschen wir den Text einer E-Mail; Empfängeradresse, Betreff und \
Zeitpunkt bleiben als Nachweis des Versands. \
[BITTE ERGÄNZEN: wie lange dieser Nachweis aufbewahrt wird]

## Barriere melden

Wenn Sie uns über das Formular „Barriere melden“ schreiben, speichern wir Ihre Nachricht, \
die Seite, um die es geht, und – nur wenn Sie sie angeben – Ihren Namen und Ihre \
E-Mail-Adresse. Die Nachricht lesen die Administratorinnen und Administratoren der \
Plattform und [BITTE ERGÄNZEN: die für Barrierefreiheit zuständige Stelle]. Wir nutzen \
sie, um Barrieren zu beseitigen und Ihnen zu antworten.

Rechtsgrundlage: Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit \
[BITTE ERGÄNZEN: Vorschrift des Landesrechts zur Barrierefreiheit].

Speicherdauer: [BITTE ERGÄNZEN: zum Beispiel ein Jahr nach Erledigung]

## Protokoll der Verwaltung

Was Mitarbeitende, Moderierende und Administratorinnen und Administratoren ändern, \
protokollieren wir mit ihrem Konto, damit jede Änderung an Projekten, Abstimmungen und \
Ergebnissen nachvollziehbar bleibt.

## Empfänger und Auftragsverarbeiter

[BITTE ERGÄNZEN: wer die Plattform im Auftrag der Stadt betreibt (Hosting), und ob Daten \
in Länder außerhalb der Europäischen Union gehen]

## Ihre Rechte

- **Auskunft** (Art. 15 DSGVO) und **Datenübertragbarkeit** (Art. 20 DSGVO): Unter \
„Mein Konto“ laden Sie mit „Meine Daten herunterladen“ alles herunter, was wir zu Ihrem \
Konto speichern.
- **Berichtigung** (Art. 16 DSGVO): Namen, E-Mail-Adresse und Passwort ändern Sie unter \
„Mein Konto“.
- **Löschung** (Art. 17 DSGVO): Unter „Mein Konto“ löschen Sie Ihr Konto mit \
„Mein Konto löschen“. Name, E-Mail-Adresse und Passwort werden gelöscht. Abgegebene \
Stimmen zählen weiter; sie waren nie mit Ihrem Namen verbunden.
- **Einschränkung der Verarbeitung** (Art. 18 DSGVO), **Mitteilung** an Empfänger \
(Art. 19 DSGVO) und **Widerspruch** (Art. 21 DSGVO): Schreiben Sie an die verantwortliche \
Stelle oder an die oder den Datenschutzbeauftragten (oben).
- **Widerruf einer Einwilligung** (Art. 7 Abs. 3 DSGVO): jederzeit, für die Zukunft.
- **Beschwerde** bei der Aufsichtsbehörde (Art. 77 DSGVO): \
[BITTE ERGÄNZEN: Name und Anschrift der oder des Landesbeauftragten für den Datenschutz]

Stand: [BITTE ERGÄNZEN: Datum]
"""

STATEMENT = """\
[BITTE ERGÄNZEN: Name der öffentlichen Stelle] ist bemüht, diese Website im Einklang mit \
dem Behindertengleichstellungsgesetz (BGG) und der Barrierefreie-Informationstechnik-\
Verordnung (BITV 2.0) barrierefrei zugänglich zu machen. \
[BITTE PRÜFEN: Für Städte und Gemeinden gelten meist das Gleichstellungsgesetz und die \
Verordnung des Landes; nennen Sie diese hier.]

Diese Erklärung zur Barrierefreiheit gilt für [BITTE ERGÄNZEN: Adresse der Website].

## Stand der Vereinbarkeit mit den Anforderungen

Diese Website ist [BITTE ERGÄNZEN: vollständig / weitgehend / teilweise] mit den \
Anforderungen der BITV 2.0 vereinbar. \
[BITTE ERGÄNZEN: bei „weitgehend“ oder „teilweise“: welche Anforderungen nicht erfüllt sind]

## Nicht barrierefreie Inhalte

Die folgenden Inhalte sind nicht oder nicht vollständig barrierefrei:

- [BITTE PRÜFEN: PDF-Dokumente, die Projekte zum Herunterladen anbieten (etwa \
Protokolle), sind möglicherweise nicht barrierefrei. Bitte prüfen Sie jedes Dokument.]
- [BITTE ERGÄNZEN: weitere Inhalte]

Begründung: [BITTE ERGÄNZEN: warum diese Inhalte nicht barrierefrei sind, zum Beispiel \
unverhältnismäßige Belastung, und welche barrierefreie Alternative es gibt]

## Erstellung dieser Erklärung zur Barrierefreiheit

Diese Erklärung wurde am [BITTE ERGÄNZEN: Datum] erstellt und zuletzt am \
[BITTE ERGÄNZEN: Datum] überprüft.

Die Einschätzung beruht auf [BITTE ERGÄNZEN: einer Selbstbewertung / einem BITV-Test \
durch …]. Die Software MitWirkung wird bei jeder Änderung automatisch geprüft: Jede Seite \
wird in einem Browser mit axe-core auf die Anforderungen der WCAG 2.1 (Stufe AA) getestet, \
auch in 320 Pixel Breite wie auf einem kleinen Telefon. Eine automatische Prüfung findet \
nicht jede Barriere; Inhalte, die die Stadt einstellt (Texte, Bilder, Dokumente), prüft sie \
nicht.

## Feedback und Kontaktangaben

Sind Ihnen Mängel beim barrierefreien Zugang zu Inhalten dieser Website aufgefallen? Dann \
schreiben Sie uns über das Formular „Barriere melden“ unten auf dieser Seite. Sie brauchen \
dafür kein Konto.

Sie erreichen die zuständige Stelle auch so:

[BITTE ERGÄNZEN: Name der Stelle]
[BITTE ERGÄNZEN: Anschrift]
Telefon: [BITTE ERGÄNZEN]
E-Mail: [BITTE ERGÄNZEN]

Wir beantworten Ihre Nachricht [BITTE ERGÄNZEN: innerhalb welcher Frist].

## Schlichtungsverfahren

Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie einen \
Antrag auf Schlichtung stellen. Das Verfahren ist kostenlos. Sie brauchen dafür keinen \
Rechtsbeistand.

Für öffentliche Stellen des Bundes ist die Schlichtungsstelle nach § 16 BGG zuständig:

Schlichtungsstelle nach dem Behindertengleichstellungsgesetz
bei dem Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen
Mauerstraße 53
10117 Berlin
Telefon: 030 18 527-2805
E-Mail: <info@schlichtungsstelle-bgg.de>
Internet: <https://www.schlichtungsstelle-bgg.de>

[BITTE PRÜFEN: Für Städte und Gemeinden ist meist die Schlichtungs- oder \
Durchsetzungsstelle des Landes zuständig. Nennen Sie dann diese Stelle mit Anschrift.]
"""

EASY_LANGUAGE = """\
## Was ist MitWirkung?

MitWirkung ist eine Internet-Seite von der Stadt.
Hier können Sie bei Plänen von der Stadt mit-reden.
Mit-reden heißt:
Sie sagen Ihre Meinung.
Die Stadt hört Ihre Meinung.

## Was gibt es auf der Internet-Seite?

Auf der Internet-Seite gibt es **Projekte**.
Ein Projekt ist ein Plan von der Stadt.
Zum Beispiel:
Die Stadt baut einen Platz neu.

Bei jedem Projekt steht:

- Was plant die Stadt?
- Wann passiert was?
- Wie können Sie mit-machen?

Bei manchen Projekten gibt es eine **Abstimmung**.
Abstimmung heißt:
Es gibt mehrere Vorschläge.
Sie wählen den Vorschlag, der Ihnen am besten gefällt.
Der Vorschlag mit den meisten Stimmen gewinnt.

## So machen Sie mit

### Schritt 1: Projekte lesen

Auf der Start-Seite sehen Sie alle Projekte.
Klicken Sie auf ein Projekt.
Dann lesen Sie mehr über das Projekt.
Zum Lesen brauchen Sie kein Konto.

### Schritt 2: Ein Konto machen

Zum Abstimmen brauchen Sie ein Konto.
Ein Konto ist Ihr eigener Zugang zu MitWirkung.
So machen Sie ein Konto:

1. Klicken Sie oben auf **Registrieren**.
2. Schreiben Sie Ihren Namen und Ihre E-Mail-Adresse in das Formular.
3. Denken Sie sich ein Pass-Wort aus.
Ein Pass-Wort ist ein geheimes Wort.
Nur Sie kennen das Pass-Wort.
4. Sie bekommen eine E-Mail.
In der E-Mail ist ein Link.
Klicken Sie auf den Link.
Dann klicken Sie auf den Knopf zum Bestätigen.

Jetzt ist Ihr Konto fertig.
Andere Bürgerinnen und Bürger sehen Ihren Namen nicht.
Sie sehen auch Ihre E-Mail-Adresse nicht.

### Schritt 3: Abstimmen

Melden Sie sich mit Ihrem Konto an.
Gehen Sie zu dem Projekt.
Dort finden Sie die Abstimmung.
Wählen Sie einen Vorschlag.
Klicken Sie auf **Auswahl prüfen**.
Sie sehen jetzt noch einmal Ihre Wahl.
Ist alles richtig?
Dann klicken Sie auf **Stimme abgeben**.

Sie können bei jeder Abstimmung 1 Mal abstimmen.
Ihre Stimme ist geheim.
Niemand erfährt, was Sie gewählt haben.

### Abstimmen auf Papier

Sie haben kein Internet?
Oder Sie stimmen lieber auf Papier ab?
Dann gibt es Stimm-Karten aus Papier.
Eine Stimm-Karte bekommen Sie am Info-Stand.
Ein Info-Stand ist ein Tisch von der Stadt.
Zum Beispiel auf dem Wochen-Markt.
Bei jedem Projekt steht, wo die Info-Stände sind.

Kreuzen Sie auf der Stimm-Karte Ihre Wahl an.
Werfen Sie die Stimm-Karte in die Wahl-Urne.
Eine Wahl-Urne ist ein verschlossener Kasten.
Die Stimmen auf Papier zählen genauso wie die Stimmen im Internet.

## Hier bekommen Sie Hilfe

Sie haben eine Frage?
Sie verstehen etwas nicht?
Oder etwas auf der Internet-Seite klappt nicht?
Dann schreiben Sie uns.

Unten auf jeder Seite steht **Barriere melden**.
Eine Barriere ist ein Hindernis.
Zum Beispiel:
Sie können einen Text nicht lesen.
Klicken Sie auf **Barriere melden**.
Dort schreiben Sie uns eine Nachricht.
Dafür brauchen Sie kein Konto.

Sie können uns auch anrufen.
Unsere Telefon-Nummer ist: [BITTE ERGÄNZEN: Telefonnummer]

Oder Sie kommen zu uns:
[BITTE ERGÄNZEN: Name der Stelle, Straße und Ort]
"""

# slug -> (title, text) of the pages every site has; they show their text before anyone
# saves them.
SITE_PAGES = {
    "impressum": ("Impressum", IMPRINT),
    "datenschutz": ("Datenschutzerklärung", PRIVACY),
    "barrierefreiheit": ("Erklärung zur Barrierefreiheit", STATEMENT),
    "leichte-sprache": ("MitWirkung in Leichter Sprache", EASY_LANGUAGE),
}
