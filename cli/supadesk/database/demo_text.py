"""Words for the demo data: people, ticket subjects and the lines of support conversations.

Pure data plus two tiny pickers; `demo_plan` decides who says what, and when. A subject comes with
the customer's opening message of the same topic, so a conversation reads as one story.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST_NAMES = (
    ("Aisha", "aisha"),
    ("Ben", "ben"),
    ("Carla", "carla"),
    ("Dmitri", "dmitri"),
    ("Elena", "elena"),
    ("Farid", "farid"),
    ("Grace", "grace"),
    ("Hiro", "hiro"),
    ("Ines", "ines"),
    ("Jamal", "jamal"),
    ("Kofi", "kofi"),
    ("Lena", "lena"),
    ("Mateo", "mateo"),
    ("Nora", "nora"),
    ("Oscar", "oscar"),
    ("Priya", "priya"),
    ("Quinn", "quinn"),
    ("Rosa", "rosa"),
    ("Sven", "sven"),
    ("Tariq", "tariq"),
    ("Uma", "uma"),
    ("Victor", "victor"),
    ("Wen", "wen"),
    ("Ximena", "ximena"),
    ("Yusuf", "yusuf"),
    ("Zoë", "zoe"),
    ("Amélie", "amelie"),
    ("Bruno", "bruno"),
    ("Chloe", "chloe"),
    ("Diego", "diego"),
    ("Emma", "emma"),
    ("Felix", "felix"),
    ("Hannah", "hannah"),
    ("Ivan", "ivan"),
    ("Julia", "julia"),
    ("Kenji", "kenji"),
    ("Laila", "laila"),
    ("Marcus", "marcus"),
    ("Nadia", "nadia"),
    ("Olivia", "olivia"),
    ("Pedro", "pedro"),
    ("Rania", "rania"),
    ("Samuel", "samuel"),
    ("Tomás", "tomas"),
    ("Valentina", "valentina"),
    ("William", "william"),
    ("Yara", "yara"),
    ("Zane", "zane"),
    ("Sofia", "sofia"),
    ("Noah", "noah"),
)
LAST_NAMES = (
    ("Adeyemi", "adeyemi"),
    ("Bauer", "bauer"),
    ("Costa", "costa"),
    ("Dubois", "dubois"),
    ("Eriksson", "eriksson"),
    ("Fischer", "fischer"),
    ("García", "garcia"),
    ("Haddad", "haddad"),
    ("Ito", "ito"),
    ("Jansen", "jansen"),
    ("Kowalski", "kowalski"),
    ("Lindqvist", "lindqvist"),
    ("Müller", "mueller"),
    ("Nakamura", "nakamura"),
    ("O'Brien", "obrien"),
    ("Petrov", "petrov"),
    ("Quispe", "quispe"),
    ("Rossi", "rossi"),
    ("Schmidt", "schmidt"),
    ("Tanaka", "tanaka"),
    ("Usman", "usman"),
    ("Varga", "varga"),
    ("Walsh", "walsh"),
    ("Xu", "xu"),
    ("Yilmaz", "yilmaz"),
    ("Zhang", "zhang"),
    ("Novak", "novak"),
    ("Silva", "silva"),
    ("Mensah", "mensah"),
    ("Kim", "kim"),
)
DOMAINS = (
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "proton.me",
    "icloud.com",
    "gmx.de",
    "hey.com",
    "brightlabs.io",
    "northwind.example",
    "acme-logistics.com",
    "bluefin.dev",
    "cedar-health.org",
    "pixelforge.studio",
    "meridian.co",
    "harbor-analytics.com",
    "lumen.agency",
)

# Slots for subjects; every list is short so the same words recur, as in a real inbox.
_SLOTS: dict[str, tuple[str, ...]] = {
    "feature": (
        "dashboard",
        "reports page",
        "calendar view",
        "search",
        "file upload",
        "team settings",
        "billing page",
        "mobile app",
        "notifications",
        "shared inbox",
    ),
    "integration": ("Slack", "Google Calendar", "Zapier", "Salesforce", "HubSpot", "Stripe", "Shopify"),
    "browser": ("Safari", "Chrome", "Firefox", "Edge", "the iOS app", "the Android app"),
    "format": ("CSV", "PDF", "Excel", "JSON"),
    "plan": ("Starter", "Team", "Business", "Pro"),
}


@dataclass(frozen=True)
class Topic:
    """One kind of problem: subject templates and what the customer writes first."""

    name: str
    weight: float
    subjects: tuple[str, ...]
    openers: tuple[str, ...]


TOPICS = (
    Topic(
        "billing",
        0.2,
        (
            "Charged twice for my {plan} subscription",
            "Invoice #{n} shows the wrong VAT number",
            "Refund for the annual {plan} plan",
            "Card declined when upgrading to {plan}",
            "Need a receipt for last month",
            "Downgrade from {plan} did not apply",
        ),
        (
            "Hi, I was charged twice this month for the same subscription. Can you refund one of the charges?",
            "Our finance team needs the invoice with our company VAT number on it, the current one is wrong.",
            "I cancelled my plan last week but I was still billed. Could you look into it?",
            "My card keeps getting declined at checkout although it works everywhere else.",
        ),
    ),
    Topic(
        "login",
        0.18,
        (
            "Can't log in after password reset",
            "Two-factor code never arrives",
            "Locked out of my account",
            "Login loop on {browser}",
            "SSO sign-in fails with an error",
            "Magic link expired immediately",
        ),
        (
            "I reset my password an hour ago and now the login page just says invalid credentials.",
            "The 2FA text message never arrives, so I can't get into my account at all.",
            "Every time I sign in I'm sent straight back to the login page. Cleared cookies already.",
            "Our team can't sign in with SSO since this morning, everyone gets an error page.",
        ),
    ),
    Topic(
        "bug",
        0.22,
        (
            "The {feature} is blank on {browser}",
            "Error 500 when saving changes",
            "{feature} shows old data",
            "Export to {format} is missing columns",
            "Attachments fail to upload",
            "App crashes when opening {feature}",
            "Dates shown in the wrong time zone",
            "Duplicate notifications for every comment",
        ),
        (
            "When I open it on {browser} the page stays completely blank. It worked fine yesterday.",
            "I get an 'Internal Server Error' every time I try to save. Nothing else changed on our side.",
            "The export is missing half of the columns, we need it for our monthly report.",
            "Uploads get stuck at 99% and then fail. The files are small PDFs.",
            "All times are shown two hours off, although my profile has the right time zone.",
        ),
    ),
    Topic(
        "howto",
        0.17,
        (
            "How do I invite my team?",
            "Can I change the owner of a workspace?",
            "How to set up {integration}",
            "Where can I find the API key?",
            "Is there a way to bulk import contacts?",
            "Change the language to German",
        ),
        (
            "Quick question: how can I add three colleagues to our workspace without paying for a new plan?",
            "I'd like to move ownership of our workspace to my colleague before I leave the company.",
            "We want to connect {integration} but I can't find the settings for it anywhere.",
            "Is there an import for contacts? Adding 400 people by hand is not an option.",
        ),
    ),
    Topic(
        "integration",
        0.1,
        (
            "{integration} sync stopped working",
            "Webhook deliveries failing with 401",
            "API rate limit too low for our import",
            "{integration} creates duplicate records",
        ),
        (
            "Our {integration} sync has stopped since Tuesday. No errors in the log, just nothing happens.",
            "All webhook deliveries fail with 401 since we rotated our keys yesterday.",
            "We keep hitting the API rate limit during our nightly import. Can it be raised for us?",
        ),
    ),
    Topic(
        "account",
        0.08,
        (
            "Delete my account and data",
            "Change the email on my account",
            "Merge two accounts",
            "GDPR data export request",
        ),
        (
            "Please delete my account and all my personal data. Thank you.",
            "I need to change the email address on my account, I no longer have access to the old one.",
            "I accidentally created two accounts. Can you merge them so I keep my history?",
        ),
    ),
    Topic(
        "feedback",
        0.05,
        (
            "Feature request: dark mode",
            "Suggestion for the {feature}",
            "Keyboard shortcuts please",
        ),
        (
            "Love the product! Any plans for a dark mode? My eyes would thank you.",
            "It would be great if the {feature} could be filtered by team. We'd use it every day.",
        ),
    ),
)

AGENT_FIRST_REPLIES = (
    "Hi {name}, thanks for reaching out! I'm looking into this right now.",
    "Hello {name}, sorry for the trouble. Could you tell me which browser and version you're using?",
    "Hi {name}, thanks for the details. I can see the problem on our side and I'm checking with the team.",
    "Thanks for getting in touch, {name}. Could you send a screenshot of what you see?",
    "Hi {name}! Happy to help. Can you confirm the email address on the account?",
    "Hello {name}, I've picked up your ticket. Give me a few minutes to reproduce this.",
)
AGENT_FOLLOW_UPS = (
    "Thanks, that helps. I've passed this on to our engineers with your example.",
    "Could you try again now? We deployed a fix a few minutes ago.",
    "I've updated the settings on your account. Please log out and back in.",
    "Understood. I've applied the change, it can take up to ten minutes to show up.",
    "I checked the logs and found the cause. I'll update you as soon as the fix is live.",
    "Good news: the refund has been issued and should reach your card within 5 to 10 days.",
    "Here is a short guide that walks through the setup step by step: Settings → Integrations → Connect.",
    "That's expected for now, but I've added your vote to the feature request.",
)
AGENT_QUESTIONS = (
    "Could you send us the exact error message, or a screenshot of it?",
    "Which workspace is this about? You seem to have access to two.",
    "Can you try in a private window and tell me whether it still happens?",
    "Could you confirm the last four digits of the card that was charged?",
)
AGENT_WRAP_UPS = (
    "Glad it works now! I'll mark this ticket as resolved, just reply if anything comes up.",
    "Great to hear. Resolving this for now, have a good day!",
    "Perfect. I'll close this off, feel free to write again anytime.",
)
AGENT_SPAM_CLOSE = (
    "This looks like a duplicate of your other ticket, so I'm closing this one. We'll continue there.",
    "Closing this one as it was opened by mistake.",
)
CUSTOMER_FOLLOW_UPS = (
    "Sure, here it is. It happens every single time.",
    "I'm using Chrome on a Mac, latest version.",
    "Just tried again and it still doesn't work.",
    "It works in a private window, but not in my normal one.",
    "The account email is the one I'm writing from.",
    "Any idea how long this will take? It's blocking our team.",
    "Ok, I logged out and in again.",
    "Attached the screenshot. The error appears right after clicking save.",
)
CUSTOMER_NUDGES = (
    "Hi, any update on this?",
    "Hello? Is anyone looking at this?",
    "Just following up, this is still an issue for us.",
)
CUSTOMER_THANKS = (
    "That fixed it, thank you so much!",
    "Works now. Thanks for the quick help!",
    "All good now, appreciate it.",
    "Perfect, thanks!",
)
CUSTOMER_REOPENS = (
    "Hi again, the problem is back since this morning.",
    "Sorry, I have to reopen this: it happened again today.",
    "It worked for a day but now I'm seeing the same error.",
)


def fill(template: str, rng: random.Random) -> str:
    """A subject or opener with its slots filled (`{n}` is an invoice number)."""
    if "{" not in template:
        return template
    values = {key: rng.choice(options) for key, options in _SLOTS.items() if "{" + key + "}" in template}
    if "{n}" in template:
        values["n"] = str(rng.randrange(10_000, 99_999))
    return template.format(**values)


TOPIC_WEIGHTS = tuple(t.weight for t in TOPICS)
