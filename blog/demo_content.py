"""Demo content: the reference post (a 2009 political blog post quoting The New York
Times, President Medvedev and an anonymous official) and a dozen more posts, so that
paging and archives have something to show. Loaded by `manage.py loaddemo`.

The reference post is reproduced as written, typos and typography included. Quotation
bodies are referred to by key; `[[quote:key]]` in a post becomes `[[quote:ID]]` on load.
"""

import datetime

SPEAKERS = {
    "medvedev": {"name": "Dmitri A. Medvedev", "description": "President of Russia"},
    "obama": {"name": "Barack Obama", "description": "President of the United States"},
    "fdr": {"name": "Franklin D. Roosevelt", "description": "President of the United States"},
    "jfk": {"name": "John F. Kennedy", "description": "President of the United States"},
    "lincoln": {"name": "Abraham Lincoln", "description": "President of the United States"},
}

SOURCES = {
    "nyt-letter": {
        "title": "Obama Offered Deal to Russia in Secret Letter",
        "publisher": "The New York Times",
        "author": "Peter Baker",
        "kind": "article",
        "published_on": datetime.date(2009, 3, 2),
        "url": "https://www.nytimes.com/2009/03/03/washington/03prexy.html",
        "notes": "Print edition March 3, 2009.",
    },
    "obama-inaugural": {
        "title": "Inaugural Address",
        "publisher": "The White House",
        "kind": "speech",
        "published_on": datetime.date(2009, 1, 20),
    },
    "fdr-inaugural": {
        "title": "First Inaugural Address",
        "publisher": "Franklin D. Roosevelt Presidential Library",
        "kind": "speech",
        "published_on": datetime.date(1933, 3, 4),
    },
    "jfk-inaugural": {
        "title": "Inaugural Address",
        "publisher": "John F. Kennedy Presidential Library",
        "kind": "speech",
        "published_on": datetime.date(1961, 1, 20),
    },
    "gettysburg": {
        "title": "Address at the Dedication of the Gettysburg National Cemetery",
        "publisher": "Library of Congress",
        "kind": "speech",
        "published_on": datetime.date(1863, 11, 19),
    },
}

# Excerpts come before the quotations within them.
QUOTATIONS = {
    "nyt-excerpt": {
        "source": "nyt-letter",
        "text": (
            "President Obama sent a secret letter to Russia’s president last month suggesting "
            "that he would back off deploying a new missile defense system in Eastern Europe if "
            "Moscow would help stop Iran from developing long-range weapons, American officials "
            "said Monday.\n\n"
            "Moscow has not responded to the letter that was hand-delivered to President Dmitri "
            "A. Medvedev, above, three weeks ago.\n\n"
            "The letter to President Dmitri A. Medvedev was hand-delivered in Moscow by top "
            "administration officials three weeks ago. It said the United States would not need "
            "to proceed with the interceptor system, which has been vehemently opposed by Russia "
            "since it was proposed by the Bush administration, if Iran halted any efforts to "
            "build nuclear warheads and ballistic missiles.\n\n"
            "The officials who described the contents of the message requested anonymity "
            "because it has not been made public. While they said it did not offer a direct "
            "quid pro quo, the letter was intended to give Moscow an incentive to join the "
            "United States in a common front against Iran. Russia’s military, diplomatic and "
            "commercial ties to Tehran give it some influence there, but it has often resisted "
            "Washington’s hard line against Iran.\n\n"
            "“It’s almost saying to them, put up or shut up,” said a senior administration "
            "official. “It’s not that the Russians get to say, ‘We’ll try and therefore you "
            "have to suspend.’ It says the threat has to go away.”"
        ),
    },
    "anonymous-official": {
        "source": "nyt-letter",
        "within": "nyt-excerpt",
        "anonymous_description": "a senior administration official",
        "anonymity_reason": "because the letter had not been made public",
        "said_on": datetime.date(2009, 3, 2),
        "text": (
            "It’s almost saying to them, put up or shut up. It’s not that the Russians get to "
            "say, ‘We’ll try and therefore you have to suspend.’ It says the threat has to go "
            "away."
        ),
    },
    "medvedev-excerpt": {
        "source": "nyt-letter",
        "text": (
            "“No one links these issues to any exchange, especially on the Iran issue,” Mr. "
            "Medvedev said at a news conference in Madrid, where he was visiting to boost "
            "economic and political ties. “We are working very closely with our U.S. colleagues "
            "on the issue of Iran’s nuclear program.”\n\n"
            "He added, however, that Russia remained open to American proposals on the issue and "
            "said he was encouraged by signs from Mr. Obama’s administration.\n\n"
            "“What we are getting from our U.S. partners shows at least one thing: Our U.S. "
            "partners are ready to discuss the issue,” he said. “It’s good, because several "
            "months ago we were getting different signals — that the decision has been made, "
            "there is nothing to speak about, that we have done everything as we have decided.”"
        ),
    },
    "medvedev-no-exchange": {
        "source": "nyt-letter",
        "within": "medvedev-excerpt",
        "speaker": "medvedev",
        "context": "at a news conference in Madrid",
        "said_on": datetime.date(2009, 3, 2),
        "translation_note": "Translated from Russian, as reported by The New York Times.",
        "text": (
            "No one links these issues to any exchange, especially on the Iran issue. We are "
            "working very closely with our U.S. colleagues on the issue of Iran’s nuclear "
            "program."
        ),
    },
    "medvedev-partners": {
        "source": "nyt-letter",
        "within": "medvedev-excerpt",
        "speaker": "medvedev",
        "context": "at a news conference in Madrid",
        "said_on": datetime.date(2009, 3, 2),
        "translation_note": "Translated from Russian, as reported by The New York Times.",
        "text": (
            "What we are getting from our U.S. partners shows at least one thing: Our U.S. "
            "partners are ready to discuss the issue. It’s good, because several months ago we "
            "were getting different signals — that the decision has been made, there is "
            "nothing to speak about, that we have done everything as we have decided."
        ),
    },
    "unclenched-fist": {
        "source": "obama-inaugural",
        "speaker": "obama",
        "context": "in his inaugural address at the Capitol",
        "text": (
            "To those who cling to power through corruption and deceit and the silencing of "
            "dissent, know that you are on the wrong side of history; but that we will extend "
            "a hand if you are willing to unclench your fist."
        ),
    },
    "fear-itself": {
        "source": "fdr-inaugural",
        "speaker": "fdr",
        "context": "in his first inaugural address",
        "text": "The only thing we have to fear is fear itself.",
    },
    "ask-not": {
        "source": "jfk-inaugural",
        "speaker": "jfk",
        "context": "in his inaugural address",
        "text": (
            "And so, my fellow Americans: ask not what your country can do for you — ask what "
            "you can do for your country."
        ),
    },
    "of-the-people": {
        "source": "gettysburg",
        "speaker": "lincoln",
        "context": "at the dedication of the Soldiers’ National Cemetery in Gettysburg",
        "text": (
            "government of the people, by the people, for the people, shall not perish from "
            "the earth."
        ),
    },
}

# Snapshots editors pasted for sources readers cannot fetch (integrity/): the NYT article
# is behind a paywall, and the excerpt the reference post quotes is all we may copy. Its
# quotations are checked against it on load.
SNAPSHOTS = {
    "nyt-letter": {
        "note": "Pasted from the print edition of March 3, 2009: the excerpts quoted here.",
        "text": QUOTATIONS["nyt-excerpt"]["text"] + "\n\n" + QUOTATIONS["medvedev-excerpt"]["text"],
    },
}

# A quotation that does not match its source, to show editors what a difference looks like
# (the word "new" is missing). Cited by no post and not public: editors see it in the
# admin's quotation list under "source check: differs".
MISQUOTED = {
    "source": "nyt-letter",
    "text": "President Obama sent a secret letter to Russia’s president last month suggesting "
    "that he would back off deploying a missile defense system in Eastern Europe.",
}


REFERENCE_POST = {
    "title": "Obama to Russia: Help Us And We'll Help You",
    "slug": "obama-to-russia-help-us-and-well-help-you",
    "published_at": (2009, 3, 3, 9, 41),
    "tags": ["Russia", "Iran", "Missile defense"],
    "body": (
        "Now that's diplomacy. Plus, it makes sense. The U.S. doesn't need to deploy a missile "
        "defense system in Eastern Europe if it can get stop Iran from building nukes.  \n"
        "I'm hoping the letter was meant to be exposed.\n\n"
        "NYT:\n\n"
        "[[quote:nyt-excerpt]]\n\n"
        "A mixed response from Russia:\n\n"
        "[[quote:medvedev-excerpt]]\n"
    ),
    "comments": [
        {
            "name": "Karen M.",
            "email": "karen@example.org",
            "submitted_at": (2009, 3, 3, 11, 2),
            "text": "If the letter was meant to leak, it worked. The question is whether "
            "Moscow can deliver anything in Tehran at all.",
        },
        {
            "name": "policywonk",
            "email": "wonk@example.org",
            "url": "https://example.org/",
            "submitted_at": (2009, 3, 3, 13, 45),
            "text": "Medvedev's answer reads like a yes dressed up as a no.\n\nWorth reading "
            "the whole NYT piece: the official's quote is the key line.",
        },
    ],
    "updates": [
        {
            "timestamp": (2009, 3, 3, 16, 12),
            "kind": "update",
            "placement": "top",
            "body": (
                "Obama clarifies letter, which he said was lengthy and talked about a range of "
                "issues. He said the missile defense is not directed toward Russia but Iran. He "
                "essentially says what I summed up below but I guess the letter (leaked?) was "
                "characterized as a quid quo pro:"
            ),
        }
    ],
}

OTHER_POSTS = [
    {
        "title": "The unclenched fist",
        "published_at": (2009, 1, 20, 14, 5),
        "tags": ["Iran", "Obama administration"],
        "body": (
            "The line from today's inaugural address that foreign ministries will read twice:\n\n"
            "[[quote:unclenched-fist]]\n\n"
            "It is an offer with a condition attached. Watch Tehran."
        ),
    },
    {
        "title": "Welcome to the new blog",
        "published_at": (2009, 1, 5, 8, 30),
        "body": (
            "This blog is about what people in power say, and about holding them to it. "
            "Every quotation here links to who said it and where it was published, so you can "
            "check our reading against the original."
        ),
    },
    {
        "title": "Why we name the source of every quote",
        "published_at": (2009, 1, 12, 11, 0),
        "tags": ["Housekeeping"],
        "body": (
            "A quote without a source is a rumour. When an official will not be named, we say "
            "how the reporter described them and the reason they gave for anonymity, so you can "
            "weigh the words yourself."
        ),
    },
    {
        "title": "Stimulus week, and an old line",
        "published_at": (2009, 2, 10, 9, 15),
        "tags": ["Economy"],
        "body": (
            "Every economic speech this week borrows from the same 1933 sentence, usually "
            "shortened. Here is the short form as it is usually remembered:\n\n"
            "[[quote:fear-itself]]\n\n"
            "The full paragraph is worth reading; follow the source link."
        ),
        "updates": [
            {
                "timestamp": (2009, 2, 10, 17, 40),
                "kind": "correction",
                "placement": "appended",
                "body": "An earlier version of this post dated the speech to 1932. It was "
                "given on March 4, 1933.",
            }
        ],
    },
    {
        "title": "Service, asked for",
        "published_at": (2009, 2, 17, 7, 55),
        "tags": ["Obama administration"],
        "body": (
            "The new administration's call to national service keeps echoing [[q:ask-not]] "
            "without quite saying so."
        ),
    },
    {
        "title": "Reading list for the weekend",
        "published_at": (2009, 2, 21, 10, 0),
        "body": (
            "- The arms-control treaties that expire this year\n"
            "- What an interceptor site in Poland would and would not do\n"
            "- How sanctions on Iran are enforced, and by whom"
        ),
    },
    {
        "title": "Missile defense, explained briefly",
        "published_at": (2009, 2, 26, 15, 20),
        "tags": ["Missile defense"],
        "body": (
            "The proposed system in Poland and the Czech Republic was designed against a small "
            "number of long-range missiles from the Middle East, not against Russia's arsenal. "
            "Moscow has never accepted that description."
        ),
    },
    {
        "title": "Madrid press conference, in context",
        "published_at": (2009, 3, 4, 8, 10),
        "tags": ["Russia"],
        "body": (
            "Yesterday's post quoted President Medvedev's answer in Madrid, where he said "
            "[[q:medvedev-no-exchange]] Follow the quotation for its source and context."
        ),
    },
    {
        "title": "A note on corrections",
        "published_at": (2009, 3, 10, 12, 0),
        "tags": ["Housekeeping"],
        "body": (
            "When we get something wrong we add a correction with its date and leave the "
            "original wording visible. We do not silently edit what we, or anyone we quote, "
            "wrote."
        ),
    },
    {
        "title": "Words carved in stone",
        "published_at": (2009, 3, 18, 18, 30),
        "body": (
            "Some sentences outlive every news cycle. This one ends a speech of 272 words:\n\n"
            "[[quote:of-the-people]]"
        ),
    },
    {
        "title": "What to watch at the G-20",
        "published_at": (2009, 3, 30, 9, 0),
        "tags": ["Economy", "Russia"],
        "body": (
            "London this week: the first meeting between the two presidents in person. "
            "The letter will come up."
        ),
    },
    {
        "title": "The London meeting",
        "published_at": (2009, 4, 1, 19, 45),
        "tags": ["Russia", "Missile defense"],
        "body": (
            "The two presidents agreed to start talks on a successor to the START treaty. "
            "On missile defense, nothing new was said in public."
        ),
    },
]
