"""Words that say nothing about what a person looks for, in the folded form of ``search_key``.

They never become search terms on their own (a query of stopwords only finds nothing), but they
may still be part of a synonym («وای فای») or of a compound written apart («به روز رسانی»).
Light verbs and the words of asking for help («چطور», «باید», «میخواهم») are here too: a
requester's question is full of them and they are in every article.
"""
from __future__ import annotations

from core.normalize import search_key
from plugins.kb.search.script import FINGLISH_VERBS

PERSIAN = """
از به با در بر برای تا که را و یا هم نیز اما ولی اگر چون چه چی چرا چطور چطوری چگونه کجا کی کدام
آن این اون همین همان آنها اینها ان اینکه آنکه ای یک یکی هر همه هیچ چند چندین خیلی بسیار کمی
من تو او ما شما ایشان آنان مرا مرا ترا اش ام ات مان تان شان خود خودم خودش خودمان
است هست هستم هستند هستیم نیست نیستم نیستند بود بودم بوده بودن باشد باشم باشند باشید
شد شده شدن شود شوم شوند میشود نمیشود میشوم نمیشوم میشوند شدم
کرد کرده کردن کنم کند کنید کنند کردم میکنم نمیکنم میکند نمیکند کن
دارم دارد دارید دارند داشت داشتم داشته داره ندارم ندارد
باید نباید میتوانم نمیتوانم میتوان نمیتوان میتونم نمیتونم
میخواهم میخوام خواهم خواستم بخواهم میخواهید میخواستم
لطفا لطفاً ممنون سلام تشکر متشکرم مرسی باتشکر کمک
چیست چیه کجاست کنیم شوید بشود بشه بکنم بگیرم بدهم دهم دهد داد دادم دهید
پس بعد قبل حالا الان دیگر دیگه هنوز فقط حتی همچنین ضمنا مثلا طور طوری نحوه روش راه
وقتی زمانی موقع جای جایی چیزی کسی مورد درباره مربوط طریق توسط وسیله
ها های هایی تر ترین می نمی بی
"""

# Spoken Persian, as people type it.
SPOKEN = """
رو یه یک چیکار چجوری چطوری چیه کجاست اینجا اونجا اون این اینو اونو برام بهم ازم بهش باهاش
دیگه الان هنوزم میگه میگن گفتن بزن بزنم زدم زدن بیام بیاد اومد اومده اومدم بده بدم میده نمیده
بگیرم گرفتم بگیره ببینم دیدم میبینم نمیبینم برم رفتم رفت میرم هستش نیستش شه بشه بشم میشه نمیشه
میشم نمیشم شدم میخوام میخواد میخوایم میخواستم نمیخوام میتونم نمیتونم میتونه نمیتونه تونستم نتونستم
توی تووی میاد نمیاد میان نمیان بیاد نیومد نیومده میره نمیره میدم نمیدم بدین بدید چیکار کنم
"""

# Finglish: Persian written in Latin letters.
FINGLISH = """
ro ra ye man to va ba az be dar ke chi chie chera chejuri chetori chetor koja kojast
mishe nemishe beshe mikham mikhastam mitunam nemitunam bedam bedim konam kardam kone
dare nadare hast nist shode nashode lotfan salam chikar chekar chejoori kojaro chera chand
baraye bara vaghti alan hanuz hanooz faghat kheili khyli khob khub ham hamin in un oon too tu tuye
toye tooye mersi merci mamnoon mamnun komak lotfan
"""

ENGLISH = """
a an the and or not no of to in on at for from by with without is are was were be been am
i me my we our you your it its this that these those what how why where when which who
do does did can cannot cant could should would will please help
"""

# Light verbs in every person, with and without «می»/«نمی»: «نمیشوند», «میکنید», «داشتم»…
_VERB_STEMS = ("شو", "شد", "کن", "کرد", "دار", "داشت", "باش", "بود", "خواه", "خواست", "توان", "توانست", "تون",
               "گیر", "گرفت", "زن", "زد", "گو", "گفت", "بین", "دید", "اید", "امد")
_ENDINGS = ("", "م", "ی", "د", "یم", "ید", "ند", "ه")
LIGHT_VERBS = " ".join(prefix + stem + ending for prefix in ("", "می", "نمی", "ن", "ب") for stem in _VERB_STEMS
                       for ending in _ENDINGS if prefix + stem + ending != "توان")  # «توان»: ability

STOPWORDS = frozenset(search_key(word) for word in (PERSIAN + SPOKEN + FINGLISH + ENGLISH + LIGHT_VERBS).split()) \
    | FINGLISH_VERBS
