"""Lexicons of the offer analyzer: Indonesian (formal and chat style) and English, as regular expressions over
the normalised text (lower case, ASCII, chat abbreviations expanded, one space between words; see offers.py).

Each rule belongs to one red flag (design section 4). A rule may be cancelled by a negator just before the
match ("tanpa biaya penempatan") or a cancelling phrase just after it ("biaya penempatan dibebaskan").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def alt(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# Indonesian/Malay verb forms of a root (passive di-, active me-/meN-, colloquial N-/-in, Javanese di-/-i):
# "tahan" -> ditahan, menahan, nahan, tahan; the analyzer reads "dokumen ditahan" and "agen menahan dokumen".
VERB_FORMS: dict[str, tuple[str, ...]] = {
    "tahan": ("ditahan", "menahan", "nahan", "tahan", "ditahannya", "tahanin", "ditahanin"),
    "pegang": ("dipegang", "memegang", "megang", "pegang", "pegangin", "dipegangi", "dipegangin", "dicekel", "nyekel",
               "cekel"),
    "simpan": ("disimpan", "menyimpan", "nyimpen", "nyimpan", "simpan", "simpen", "disimpen", "simpenin", "disimpenin"),
    "ambil": ("diambil", "mengambil", "ngambil", "ambil", "dijupuk", "njupuk"),
    "sita": ("disita", "menyita", "nyita", "sita", "dirampas", "merampas"),
    "kumpul": ("dikumpulkan", "mengumpulkan", "ngumpulin", "dikumpulin", "kumpulkan"),
    "titip": ("dititipkan", "menitipkan", "dititip", "nitip", "titip", "titipkan", "dititipke"),
    "amankan": ("diamankan", "mengamankan", "amankan", "ngamanin"),
    "kuasai": ("dikuasai", "menguasai"),
}


def verbs(*roots: str) -> str:
    return alt(*(form for r in roots for form in VERB_FORMS[r]))


HOLD = verbs("tahan", "pegang", "simpan", "ambil", "sita", "kumpul", "titip", "amankan", "kuasai")
# a word inside a span that must not be a negation ("agen tidak akan menahan paspor" is no retention)
_NOT_NEG = r"(?!(?:tidak|tak|bukan|belum|jangan|never|not|no)\b)"


@dataclass(frozen=True)
class Rule:
    flag: str
    pattern: re.Pattern[str]
    negators: frozenset[str] = frozenset()  # a word among the `window` words before the match cancels it
    window: int = 3
    cancel_after: re.Pattern[str] | None = None  # a phrase right after the match that cancels it
    tag: str = field(default="", compare=False)  # lets offers.py treat some rules specially


def rule(flag: str, pattern: str, negators: frozenset[str] = frozenset(), window: int = 3,
         cancel_after: str | None = None, tag: str = "") -> Rule:  # fmt: skip
    return Rule(flag, re.compile(rf"\b(?:{pattern})\b"), negators, window,
                re.compile(rf"^\W*(?:{cancel_after})\b") if cancel_after else None, tag)  # fmt: skip


# words that negate what follows ("tanpa biaya", "no placement fee", "bukan visa turis")
NEG = frozenset({"tidak", "tanpa", "bukan", "no", "not", "without", "never", "zero", "jangan", "bebas", "free",
                 "gratis", "dilarang", "hindari", "avoid", "waspada", "waspadai", "hati", "beware", "tak", "non",
                 "belum", "anti", "melarang", "larangan", "laporkan", "report", "tolak"})  # fmt: skip
# warning / advice context: these posts talk about a risk, they do not make the offer
WARN = frozenset({"tanpa", "without", "waspada", "waspadai", "hati", "hindari", "jangan", "beware", "avoid", "laporkan", "report",
                  "tolak", "bukan", "tidak", "never", "not", "no", "dilarang", "melarang", "lawan", "cegah"})  # fmt: skip
FREE_AFTER = alt(r"dibebaskan", r"gratis", r"free",
                 r"(?:\w+ ){0,2}(?:yang |akan |sudah |semua |semuanya )?(?:ditanggung|ditanggung oleh)"
                 r"(?! (?:oleh )?(?:calon|pekerja|pmi|tki|cpmi|anda|kamu|sendiri|peserta|pelamar|korban))",
                 r"(?:\w+ ){0,2}(?:yang |akan |sudah |juga )?(?:dibayarkan|dibayar|diganti)(?: oleh)? (?:perusahaan|majikan|"
                 r"pemberi kerja|pengguna|employer|pemerintah|negara|user)",
                 r"tidak (?:dipungut|dibebankan|ada)", r"nol", r"0",
                 r"(?:\w+ ){0,2}(?:ditalangi|ditalangin|dipinjami|dipinjamkan|dipinjemin)", r"sesuai aturan", r"is free", r"waived", r"are waived")  # fmt: skip

MONEY = (
    r"(?:(?:rp|usd|us|rm|myr|sgd|hkd|hk|ntd|nt|twd|sar|aed|eur|euro|jpy|krw) ?\d+(?: \d{3})*|\d+(?: \d+)? ?"
    r"(?:juta|ribu|million|usd|dolar|dollar|ringgit|rm|rupiah|eur|euro|sgd|hkd|ntd|sar|riyal|real|aed|myr|won|"
    r"yen|pln)|\d{1,3}(?: \d{3})+|\d{4,})"
)
FEE_NOUN = alt("pendaftaran", "registrasi", "administrasi", "admin", "proses", "pemrosesan", "pengurusan", "urus",
               "pelatihan", "training", "medical", "mcu", "penempatan", "keberangkatan", "pemberangkatan", "berangkat", "visa",
               "jaminan", "deposit", "sponsor", "formulir", "seleksi", "interview", "job order", "kursus",
               "paspor", "tiket", "akomodasi", "booking", "kontrak", "titip")  # fmt: skip

RULES: tuple[Rule, ...] = (
    # ---- upfront_fee ---------------------------------------------------------------------------------------
    rule("upfront_fee", rf"(?:biaya|uang|ongkos|iuran|pungutan|yuran|bayaran) {FEE_NOUN}", NEG, 3, FREE_AFTER),
    # passive and active forms of being charged: "dikenai biaya", "dimintai uang", "biaya yang diminta"
    rule(
        "upfront_fee",
        r"(?:dikenai|dikenakan|dipungut|ditarik|dimintai|diminta|disuruh|diharuskan|wajib|harus|kena|dikenain)"
        r" (?:membayar |bayar |menyetor |setor )?(?:\w+ )?(?:biaya|uang|ongkos|yuran|fee|deposit|jaminan)|"
        r"(?:biaya|ongkos|yuran|fee)(?:nya)? (?:yang )?(?:diminta|dipungut|dikenakan|ditarik|harus dibayar|"
        r"mesti dibayar|wajib dibayar|dibayar di muka|dibayar dulu)|"
        r"(?:biaya|bayar|membayar|setor|menyetor|menyetorkan|uang) (?:\w+ ){0,4}(?:puluhan|belasan|ratusan) "
        r"(?:juta|ribu)|uang pelicin|uang (?:tanda jadi|administrasi)|"
        r"(?:menyetorkan|menyetor|setor|transfer|tf|kirim) (?:\w+ ){0,2}(?:uang|dana|rp|\d)",
        NEG,
        3,
        FREE_AFTER,
    ),
    rule(  # asking for money; a warning about those who ask ("Hati-hati dengan calo yang meminta uang") is not
        "upfront_fee",
        r"(?:meminta|minta|dimintai|mintain|menagih|ditagih|menarik) (?:\w+ ){0,2}(?:dp|uang|biaya|bayaran|deposit|setoran)"
        r"(?! (?:kembali|dikembalikan))",
        WARN,
        3,
        FREE_AFTER,
    ),
    rule("upfront_fee", rf"(?:biaya|ongkos)(?: \w+){{0,2}} {MONEY}", NEG, 3, FREE_AFTER),
    rule(
        "upfront_fee",
        rf"\bdp {MONEY}|\bdp (?:dulu|dl|nya)|down payment|uang muka|uang jaminan|uang pangkal|"
        r"uang administrasi|uang pendaftaran|uang deposit",
        NEG,
        2,
        FREE_AFTER,
    ),
    rule(
        "upfront_fee",
        rf"(?:bayar|membayar|setor|transfer|tf|kirim uang|siapkan uang|siapin) (?:\w+ ){{0,2}}{MONEY}",
        NEG,
        2,
    ),
    rule(  # "mematok tarif Rp9 juta", "harus membayar untuk bisa dipekerjakan", "bayaran pendahuluan"
        "upfront_fee",
        rf"(?:mematok|dipatok|patok|memasang|pasang) (?:\w+ )?(?:tarif|biaya|harga|bayaran|uang)|tarif (?:\w+ ){{0,2}}{MONEY}|"
        rf"(?:dibandrol|dibanderol|dipatok|dihargai|dikenai|dikenakan) (?:\w+ )?{MONEY}|"
        r"(?:harus|wajib|mesti|perlu|kudu|disuruh|diminta) (?:\w+ )?(?:membayar|bayar|menyetor|setor|nyetor|menyerahkan uang|"
        r"mengeluarkan uang|transfer) (?:\w+ ){0,3}(?:untuk|agar|supaya|biar|buat|sebelum|baru) (?:\w+ ){0,2}(?:bisa |dapat )?"
        r"(?:berangkat|bekerja|kerja|dipekerjakan|diberangkatkan|diproses|lolos|diterima|terbang|ditempatkan)|"
        r"(?:bayaran|wang|duit) (?:pendahuluan|deposit|proses|pendaftaran)|menyerahkan uang (?:\w+ ){0,3}(?:kepada|ke) "
        r"(?:sponsor|calo|agen|perekrut|tersangka|pelaku|dia)",
        NEG,
        3,
        FREE_AFTER,
    ),
    rule(  # "if I pay 50 million", "once you pay USD 500"
        "upfront_fee",
        rf"(?:if|when|once|after|before|as soon as) (?:i|you|we|they|he|she) (?:pay|paid|transfer) (?:\w+ ){{0,2}}{MONEY}",
        NEG,
        2,
    ),
    rule(
        "upfront_fee",
        r"(?:bayar|setor|transfer|tf) (?:dulu|di muka|duluan|didepan|di depan|ke rekening)",
        NEG,
        3,
    ),
    rule(
        "upfront_fee",
        r"(?:registration|processing|placement|training|admin|application|recruitment|visa|agency|lodging|"
        r"translation|documentation|handling|transport|uniform|"
        r"service|medical)(?: (?:or|and) \w+){0,3} (?:fee|fees|deposit|cost|costs|charge|charges)|"
        r"(?:pay|paying) (?:more|extra|additional) money|(?:re)?(?:pay|paid|paying|give|giving|hand) (?:\w+ ){0,2}"
        r"(?:money|cash|fee|fees) to (?:the |an |a |your )?(?:agency|agent|recruiter|broker|sponsor|middleman)",
        NEG,
        3,
        rf"{FREE_AFTER}|(?:\w+ )?(?:is |are |will be )?deducted",
    ),
    rule(
        "upfront_fee",
        rf"pay(?:ing)? (?:\w+ ){{0,2}}(?:fee|fees|deposit|first|upfront|in advance)|pay {MONEY}"
        r"(?: \w+){0,3} (?:registration|fee|deposit|training|processing)|deposit first|"
        rf"pay {MONEY} (?:for|untuk) (?:\w+ ){{0,2}}(?:visa|permit|ticket|training|processing|registration|"
        r"medical|document|documents|process)",
        NEG,
        2,
    ),
    # ---- debt_bondage --------------------------------------------------------------------------------------
    rule(
        "debt_bondage",
        r"potong(?:an)? gaji|dipotong(?:kan)? (?:dari |dr |lewat )?gaji(?:nya)?|gaji(?:nya)? dipotong(?:kan)?|"
        r"cicil(?:an)? (?:dari |lewat |potong )?gaji|dicicil (?:dari |lewat |potong )?gaji|"
        r"dicicil|bayar (?:pakai |dari |lewat )gaji|potong upah|ganti rugi dari gaji|"
        r"potongan (?:agen|agency|pt|sponsor|biaya|penempatan)|potongan (?:\w+ )?\d+ bulan|"
        r"(?:dipotong|potongan|potong|angsuran|cicilan|dicicil|mencicil)(?: \w+){0,5} (?:selama|tiap|setiap|per|"
        r"sampai) (?:\d+ |satu |dua |tiga |empat |lima |enam |tujuh |delapan |sembilan |sepuluh )?(?:bulan|month|months)|"
        r"(?:hutang|utang|pinjaman|loan)(?: \w+){0,3} (?:pada|ke|dari|di|from|with) (?:lembaga|bank|koperasi|rentenir|"
        r"finance|lender|money ?lender|agen|agency)|(?:melalui|lewat|pakai|ambil|mengambil|harus) pinjaman|"
        r"pinjaman bank|cicilan bank|kredit bank|pinjol|bank loan",
        NEG,
        3,
    ),
    # active and colloquial forms, a share of the wage, wages of some months kept by the recruiter:
    # "memotong setengah gaji", "dipotong separuh gajinya", "agen meminta gaji tiga bulan",
    # "tidak terima gaji selama 3 bulan", "tiket ditalangi dari gaji", "nanti baru dipotong"
    rule(
        "debt_bondage",
        r"(?:memotong|motong|potongin|dipotongin|dipotong|potong|memotongkan|mengambil|ambil|diambil|menahan|ditahan)"
        r" (?:\w+ )?(?:setengah|separuh|sebagian|\d+ ?(?:persen|%)?|seluruh|semua) (?:dari )?(?:gaji|upah|wage|salary)|"
        r"(?:memotong|motong|potongin|dipotongin|memotongkan) (?:\w+ )?(?:gaji|upah)|"
        r"(?:meminta|minta|mengambil|ambil|diambil|menahan|ditahan|potong|dipotong|memotong|jatah) gaji(?:nya)? "
        r"(?:\w+ )?(?:\d+|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|beberapa) (?:bulan|month|months)|"
        r"gaji (?:\w+ )?(?:\d+ |satu |dua |tiga |empat |lima |enam )?bulan (?:pertama|awal)(?: \w+){0,3} "
        r"(?:untuk|buat|dipotong|diambil|masuk|milik|ke|bayar|membayar|melunasi) |"
        r"(?:tidak|tak|belum|tanpa) (?:\w+ )?(?:terima|menerima|dapat|mendapat|diberi|dibayar|digaji) (?:\w+ )?gaji"
        r"(?: \w+)? (?:selama |sampai |hingga )?(?:\d+|satu|dua|tiga|empat|lima|enam|beberapa) (?:bulan|month|months)|"
        r"ditalangi|ditalangin|menalangi|talangin|nyicil|beban potongan|pemotongan (?:\w+ )?(?:gaji|upah)|(?:hutang|utang) potongan|"
        r"dipotong (?:\w+ ){0,2}(?:ketika|saat|waktu|setelah|sesudah|kalau|begitu|pas) (?:\w+ ){0,2}(?:menerima|terima|"
        r"dapat|gajian|bekerja|kerja)|(?:nanti|baru) dipotong|(?:we|they|will|employer|agent|agency) deduct|"
        r"salary deduction|wage deduction|(?:bayaran|biaya|potongan|uang \w+|fee)(?: \w+){0,4} (?:dibayar|dibayarkan|"
        r"dilunasi) (?:\w+ ){0,2}(?:ketika|setelah|sesudah|kalau|pas|begitu) (?:sudah )?(?:\w+ )?(?:kerja|bekerja|gajian)|"
        r"(?:bulan|bln) (?:\w+ )?(?:kerja|bekerja) (?:\w+ )?(?:belum|tidak|tak) (?:dapat|menerima|terima|digaji) "
        r"(?:apa apa|gaji|sepeser)|(?:hutang|utang|debt)(?: \w+){0,2} (?:dengan|kepada|ke|to|with) ejen",
        NEG,
        2,
    ),
    rule(
        "debt_bondage",
        r"(?:salary|wage|wages|pay) (?:will be |is )?deduct(?:ed|ion|ions)?|deduct(?:ed|ion)? "
        r"(?:\w+ ){0,2}(?:from|of) (?:\w+ ){0,2}(?:salary|salaries|wage|wages|pay|paycheck)|"
        r"(?:pay|paid) (?:it )?back|repay|repaid|repayment|repaying|debt",
        NEG,
        3,
    ),
    rule(
        "debt_bondage",
        r"uang tip|uang saku (?:untuk|buat) keluarga|pinjaman (?:dari|dulu|ke|untuk)|"
        r"dipinjami|dipinjamkan|meminjamkan|kasbon|(?:utang|hutang) (?:ke|pada|sama) "
        r"(?:agen|pt|sponsor|bos|perusahaan|majikan|calo)|ngutang|"
        r"advance (?:payment|salary|money)|loan|dana talangan|talangan|(?:sampai|sebelum|hingga) lunas|"
        r"lunas (?:\w+ )?(?:utang|hutang)|(?:utang|hutang)(?:nya)? lunas|until (?:the |your )?(?:debt|loan)",
        NEG,
        2,
    ),
    # money handed out by the recruiter up front, paid back from the wages later
    rule(
        "debt_bondage",
        r"(?:calo|sponsor|agen|perekrut|tekong|saya|aku|dia|mereka)(?: \w+){0,3} (?:ngasih|kasih|kasi|memberi|memberikan|"
        r"beri) (?:\w+ )?(?:uang|dp|duit|panjar)|(?:setelah|sesudah|kalau sudah|pas sudah|begitu) (?:\w+ ){0,2}(?:bekerja|"
        r"kerja|gajian) (?:\w+ ){0,2}(?:dipotong|potong|diganti|dicicil|dibayar)",
        WARN,
        3,
        tag="family_cash",
    ),
    # cash handed to the family: debt bondage from a recruiter, a romance lure when a "partner" pays
    rule(
        "debt_bondage",
        r"uang (?:\w+ ){0,3}(?:untuk|buat|ke) keluarga|keluarga (?:\w+ )?(?:dikasih|diberi|dapat|"
        r"terima|menerima) uang|money (?:to|for) (?:your |the )?family",
        NEG,
        2,
        tag="family_cash",
    ),
    # ---- non_work_visa -------------------------------------------------------------------------------------
    rule(
        "non_work_visa",
        r"visa (?:turis|turist|tourist|wisata|kunjungan|visit|ziarah|umroh|pelancong|"
        r"liburan|holiday|working holiday|on arrival|voa|pelajar|student|transit|bisnis|business|"
        r"kunjungan keluarga|haji|sosial budaya)|(?:tourist|visit|visitor|umroh|holiday|transit) visa|"
        r"(?:pakai|pake|menggunakan|memakai|guna|dengan) paspor (?:wisata|turis)|(?:paspor|passport|visa)(?: \w+){0,3} (?:lancong|melancong|pelancong|"
        r"kunjungan|pelawat)|visa sosial|pas lawatan sosial|bebas visa|visa free|free visa|tanpa visa kerja|visa waiver|visa pelawat|"
        r"pas lawatan|(?:kerja|bekerja|work|working) (?:\w+ ){0,3}(?:tanpa|without) (?:a )?(?:permit|work permit|izin kerja|"
        r"ijin kerja|visa kerja)|(?:tidak|tanpa|bukan|belum) (?:menggunakan |memakai |pakai |pake |punya |memiliki |ada |"
        r"dengan |mengurus |diurus )?visa kerja|(?:not|without) (?:using |with |on )?(?:a )?work visa",
        NEG,
        2,
        r"(?:tidak|gak) (?:boleh|bisa|dapat)|dilarang|ilegal|illegal|is not|not allowed|bukan",
    ),
    rule(
        "non_work_visa",
        r"(?:visa|dokumen|izin kerja|ijin kerja|permit|work permit)(?: ?nya)?(?: \w+)? "
        r"(?:nanti |akan |bisa )?"
        r"(?:di urus|diurus|diproses|dibuat|diubah|diganti|dirubah|ganti|ubah|urus|dikonversi|"
        r"menyusul) (?:\w+ )?(?:di sana|disana|di negara (?:tujuan|sana)|setelah (?:sampai|tiba)|"
        r"sesampainya|di tempat|on arrival|sana)",
        NEG,
        2,
    ),
    rule(
        "non_work_visa",
        r"(?:change|convert|switch|changed|converted)(?: it)? (?:to |into )?(?:a )?work "
        r"(?:visa|permit) (?:after|there|later|on arrival|once)|bukan visa kerja|not a work visa|"
        r"no work visa|without (?:a )?work (?:visa|permit)|(?:no need|don t need|do not need|not need) (?:for |of )?"
        r"(?:a )?work (?:visa|permit)|(?:come|enter|go|travel|masuk|berangkat) (?:as|sebagai) (?:a )?(?:tourist|turis|"
        r"wisatawan|pelancong)",
    ),
    rule(
        "non_work_visa",
        r"(?:bilang|ngaku|mengaku|ngakunya|jawab|menjawab|dijawab|bohong|mengatakan|berbohong|say|tell (?:them|"
        r"immigration|the officer)) (?:\w+ ){0,6}(?:liburan|berlibur|wisata|berwisata|jalan jalan|melancong|tamasya|"
        r"holiday|vacation|tourist|tourism|umroh|ziarah)|(?:pura pura|berpura pura|menyamar|seolah olah|seakan akan) "
        r"(?:\w+ ){0,2}(?:pelancong|turis|wisatawan|tourist|tourists|jamaah umroh|jemaah umroh)|"
        r"keperluan (?:\w+ ){0,3}(?:berwisata|wisata|liburan|berlibur|melancong)",
        NEG,
        2,
    ),
    # ---- no_contract ---------------------------------------------------------------------------------------
    rule(
        "no_contract",
        r"(?:tidak|tanpa|belum) (?:ada |pakai |perlu |usah |membuat |membuatkan |memberi |memberikan |"
        r"menandatangani |tanda tangan |ttd |dikasih |diberi |punya |mendapat |dapat )?(?:\w+ )?(?:kontrak|perjanjian)"
        r"(?: kerja| tertulis)?|(?:kontrak|perjanjian)(?: kerja)?(?:nya)? (?:tidak|belum) (?:ada|dibuat|diberikan|"
        r"ditandatangani|jelas)|tidak ada perjanjian tertulis(?:nya)?"
        r"|kontrak(?: ?nya)? (?:kerja )?(?:nanti |akan )?(?:dikasih|dikasi|diberi|diberikan|dibuat|"
        r"ditandatangani|di tanda tangan|ditanda tangan|menyusul|dikirim) (?:\w+ ){0,3}"
        r"(?:sampai|di sana|disana|setelah|nanti|sesampainya)|kontrak lisan|tanpa hitam di atas putih|"
        r"cukup percaya|(?:no|without) (?:a )?(?:written )?(?:contract|agreement)|contract (?:will be )?"
        r"(?:given|signed|provided|sent) (?:there|later|on arrival|after|when you (?:arrive|get there)|upon arrival|once you "
        r"arrive)",
    ),
    rule(
        "no_contract",
        r"(?:kontrak|perjanjian|contract)(?:nya)? (?:\w+ ){0,3}(?:bahasa|berbahasa|in) (?:arab|mandarin|china|"
        r"cina|korea|jepang|inggris|asing|melayu|arabic|chinese|korean|japanese|thai|english)",
        frozenset(),
        0,
        r"(?:\w+ ){0,3}(?:dan|and|&) (?:bahasa )?(?:indonesia|indonesian)",
    ),
    rule(
        "no_contract",
        r"tanda tangan (?:saja|aja|dulu)(?: \w+)? (?:tidak|tak) (?:usah|perlu) (?:di ?baca|dibaca)|"
        r"(?:tidak|tak) (?:usah|perlu) (?:di ?baca|dibaca)|sign (?:it |now )?(?:without reading|first)|"
        r"(?:just|only) (?:had to |have to |has to )?sign (?:it|the contract)|(?:did not|didn t|never|not) (?:receive|get|"
        r"given|got) (?:a )?copy|(?:did not|didn t|not) explain(?:ed)? (?:the |my )?(?:employment )?contract|"
        r"(?:tidak|tak|belum) (?:dapat|mendapat|diberi|dikasih|menerima|pegang) (?:salinan|copy|fotokopi|foto kopi) "
        r"(?:kontrak|perjanjian)|kontrak(?:nya)? (?:tidak|tak) (?:dijelaskan|diterangkan)",
    ),
    # ---- unlicensed_recruiter ------------------------------------------------------------------------------
    rule(
        "unlicensed_recruiter",
        r"sponsor(?:nya)?|calo(?:nya)?|tekong(?:nya)?|(?:agen|perekrut|akun)(?: \w+){0,4} (?:perorangan|perseorangan)|"
        r"(?:agen|agensi|agency|ejen|penyalur|lpk|yayasan) (?:\w+ ){0,2}(?:gelap|ilegal|illegal|"
        r"tidak resmi|tak resmi|tanpa (?:izin|ijin|lesen|license|licence)|tidak berizin|tidak berlesen|"
        r"unlicensed|unregistered)|(?:unlicensed|illegal|unregistered) (?:agent|agency|recruiter)|petugas lapangan|"
        r"bos (?:nya )?(?:yang )?(?:urus|ngurus)",
        WARN,
        6,
        r"(?:resmi )?(?:yang|yg) (?:menjanjikan|mengaku)|(?:adalah|itu) (?:ilegal|tanda)",
    ),
    rule(
        "unlicensed_recruiter",
        r"di ?(?:ajak|tawari|tawarin|bawa|rekrut|ajakin)(?: \w+){0,4} (?:oleh |sama |sm |ama )?"
        r"(?:\w+ )?(?:tetangga|teman|temen|temannya|kawan|saudara|sodara|kenalan|kerabat|"
        r"om|tante|paman|bibi|seseorang|orang (?:kampung|lain|asing|tak dikenal|tidak dikenal))|(?:tetangga|teman|temen|kenalan|saudara|"
        r"kerabat|seseorang|kawan)(?:nya| saya| aku)? (?:\w+ )?(?:ngajak|mengajak|menawari|nawarin|menawarkan|nawari|ngajakin)|"
        r"(?:ajakan|bujukan|rayuan|bujuk rayu) (?:\w+ )?(?:tetangga|teman|temannya|temen|kawan|kawannya|saudara|"
        r"kenalan|kerabat|sponsor|calo|tekong)|(?:dikenalkan|diperkenalkan|dikenalin|dikenalkannya) (?:oleh |sama |lewat )?"
        r"(?:\w+ )?(?:tetangga|teman|kawan|saudara|kerabat)|(?:seseorang|seorang (?:pria|wanita|perempuan|laki laki|ibu|"
        r"bapak)) (?:yang )?(?:bernama|berinisial|mengaku)",
    ),
    rule(  # an individual who sends people: the neighbour, the relative, "pak haji" (issue 19)
        "unlicensed_recruiter",
        r"(?:lewat|melalui|ikut|sama|dibawa|diberangkatkan|diberangkatin) (?:oleh )?(?:bu|pak|ibu|bapak|mbak|mas|om|"
        r"tante|bibi|paman|wak|uwak|haji|hajah|ustad|ustadz) (?:haji |hajah )?[a-z]{3,}|"
        r"(?:tetangga|saudara|kerabat|sepupu) (?:saya |aku )?sendiri|"
        r"(?:yang|yg) (?:ngajak|mengajak|nawarin|menawari|menawarkan|ngurus|mengurus|urus|bawa|membawa|"
        r"berangkatin|memberangkatkan) (?:\w+ )?(?:pak haji|bu haji|haji|tetangga|saudara|kerabat|om|tante|paman|"
        r"bibi|kenalan)|(?:pak|bu) haji (?:\w+ ){0,3}(?:yang |yg )?(?:ngajak|mengajak|nawarin|menawarkan|ngurus|"
        r"mengurus|urus|berangkatin|memberangkatkan)|(?:sudah|banyak) (?:\w+ ){0,3}(?:berangkat|pergi) "
        r"(?:lewat|sama|melalui|ikut) (?:dia|beliau)",
        WARN,
        3,
    ),
    rule(  # someone who comes to the house or the village with an offer
        "unlicensed_recruiter",
        r"(?:seseorang|seorang|orang|agen|calo|sponsor|the agent|an agent|a man|a woman|someone) (?:\w+ ){0,2}"
        r"(?:menyambangi|mendatangi|datang ke rumah|keliling kampung|came to (?:my|our|the) (?:house|village|home))",
        WARN,
        3,
    ),
    rule(  # a named person inviting: "Bu Gung mengajak saya", "Pak Darto nawarin kerja"
        "unlicensed_recruiter",
        r"(?:bu|pak|ibu|bapak|mbak|mas|om|tante|bibi|paman|haji|hajah|bang|kak) [a-z]{3,} (?:yang )?(?:mengajak|ngajak|"
        r"menawari|nawarin|menawarkan|ngajakin|nawari|merekrut)",
        WARN,
        3,
    ),
    rule(  # an individual sourcing workers: "disuruh cari orang untuk kerja di rumah majikan"
        "unlicensed_recruiter",
        r"(?:cari|mencari|nyari|carikan|mencarikan|cariin) (?:\w+ )?orang (?:untuk |buat |yang mau )?(?:kerja|bekerja|jadi)",
        WARN,
        3,
    ),
    rule(
        "unlicensed_recruiter",
        r"(?:jangan|tidak usah|tidak perlu|gak usah|ngapain) (?:lewat|ke|melalui|daftar di|urus di) "
        r"(?:pt|disnaker|agen|"
        r"perusahaan|ltsa|bp3mi|jalur resmi|resmi)|sama saya (?:saja|aja)|(?:ikut|lewat) "
        r"saya (?:saja|aja)|saya (?:yang|yg) (?:urus|ngurus|uruskan)|nanti saya (?:yang )?urus|"
        r"saya (?:bisa )?(?:bantu|bantuin) (?:urus|uruskan|berangkatkan|berangkatin|proses|masukkan)|"
        r"percaya (?:sama|pada|ke) saya|(?:a|the|local|village) (?:broker|middleman|sub ?agent)|broker in (?:my|our|the) "
        r"village|(?:lewat|melalui|ikut) (?:jalur )?(?:kenalan|teman|orang dalam|ordal) "
        r"(?:saya|aku|kami)|saya (?:sudah|udah) (?:berangkatin|memberangkatkan|"
        r"kirim)|(?:a |some )?(?:man|woman|guy|lady|someone|person) on (?:instagram|"
        r"facebook|fb|tiktok|ig|whatsapp|telegram)",
    ),
    rule(  # a recruiter met on social media: "agency yang baru saya kenal di Facebook"
        "unlicensed_recruiter",
        r"(?:agen|agency|agensi|ejen|perekrut|sponsor|calo|recruiter|agent)(?: \w+){0,5} (?:kenal|kenalan|ketemu|bertemu|"
        r"dikenal|met) (?:\w+ )?(?:di|lewat|dari|via|melalui|on) (?:facebook|fb|instagram|ig|tiktok|medsos|media sosial|"
        r"whatsapp|telegram|grup|group|social media)",
        WARN,
        3,
        tag="contact",
    ),
    rule(  # recruited or reached only through a chat app or social media (Indonesian, Malay, English)
        "unlicensed_recruiter",
        r"(?:direkrut|merekrut|rekrut|berhubung|dihubungi|menghubungi|hubungi|kontak|contacted|contact|recruited|"
        r"ejen|agen|agent|perekrut|recruiter)(?: \w+){0,3} (?:melalui|lewat|via|through|on|dengan|guna) "
        r"(?:aplikasi |app |the )?(?:wechat|whatsapp|wa|messenger|telegram|facebook|fb|instagram|ig|tiktok|"
        r"michat|line|media sosial|medsos|social media)",
        tag="contact",
    ),
    rule(
        "unlicensed_recruiter",
        r"(?:minat|info|hub|hubungi|kontak|chat|call|wa|whatsapp|japri|pm|inbox|dm)"
        r"(?: \w+){0,2} (?:wa |whatsapp )?(?:0 ?8|62 ?8|\+62 ?8)\d+|(?:dm|pm|inbox|japri) (?:me|saya|aku|aja|"
        r"saja|ya|kak|langsung|admin|kami|us|now|sekarang)|(?:ke|via|lewat|by|on) (?:inbox|dm|japri|wa|whatsapp|telegram|"
        r"nomor ini|no ini|nomer ini)|dm me|message me|(?:kirim|send) (?:\w+ ){0,6}(?:ke|to) "
        r"(?:nomor|nomer|no) (?:ini|saya|berikut)",
        tag="contact",
    ),
    # ---- unrealistic_pay (phrases; amounts are judged in offers.py) -------------------------------------
    rule(
        "unrealistic_pay",
        r"(?:gaji|gajinya|upah|bayaran|penghasilan|pendapatan|salary|bergaji|berpenghasilan|berupah)(?: yang)?"
        r"(?: ditawarkan| dijanjikan| diberikan| diiming imingi)?"
        r"(?: sangat| super| amat)? (?:lumayan (?:besar|tinggi)|tinggi|besar|gede|"
        r"menggiurkan|fantastis|selangit|melimpah|berlipat)|"
        r"(?:high|big|huge|attractive|lucrative) (?:salary|salaries|pay|wages|income)|high paying|well paid|"
        r"(?:kerja|pekerjaan|kerjaan) (?:yang )?(?:ringan|santai|mudah|gampang) (?:\w+ ){0,4}(?:gaji|bergaji|upah|"
        r"dibayar)|(?:gaji|gajinya|upah|bayaran|salary)(?: \w+){0,2} (?:ribuan|berapa ribu|puluhan ribu) (?:dolar|dollar|"
        r"usd|ringgit|riyal|real|dirham)|"
        r"gaji(?:nya)? (?:\w+ ){0,5}(?:kerja|kerjanya|pekerjaan|pekerjaannya|kerjaan) (?:\w+ )?(?:mudah|ringan|santai|"
        r"gampang)",
        NEG,
        2,
    ),
    rule(
        "unrealistic_pay",
        r"gaji (?:sangat |super |yang )?(?:fantastis|menggiurkan|wow|gede banget|besar banget|"
        r"dua digit|2 digit)|gaji (?:gede|besar|tinggi|selangit)|gaji (?:puluhan|belasan|ratusan) juta|penghasilan (?:puluhan|"
        r"ratusan) juta|(?:cepat|langsung|pasti) kaya|kaya mendadak|(?:huge|very high|"
        r"fantastic|unbelievable) (?:salary|pay|income)|easy money|uang mudah|earn big",
        NEG,
        2,
    ),
    # ---- rushed_process ------------------------------------------------------------------------------------
    rule(
        "rushed_process",
        r"(?:berangkat|terbang|flight|fly|leave|depart|departure|diberangkatkan|keberangkatan|berangkatnya)"
        r" (?:dalam |in |within |is |nya )?"
        r"(?:\d|satu|dua|tiga|empat|lima|enam|tujuh|beberapa|few|one|two|three|a) "
        r"(?:hari|day|days|minggu|week|weeks)(?: lagi)?|(?:seminggu|sehari|sepekan|dua hari|tiga hari)"
        r" (?:\w+ )?(?:langsung |bisa |sudah )?(?:berangkat|terbang|diberangkatkan|beres|jadi|selesai)|"
        r"(?:berangkat|terbang|diberangkatkan) (?:dalam )?(?:seminggu|sehari|sepekan)(?: lagi)?|"
        r"(?:dalam|within|in) (?:seminggu|sehari|sepekan|dua hari|tiga hari|a week|\d+ hari|\d+ days)(?: \w+){0,2} "
        r"(?:proses|berangkat|terbang|pergi|siap|bersedia|beres|selesai|ready|fly)|(?:berangkat|terbang|diberangkatkan|"
        r"leave|depart|fly|flight|keberangkatan) (?:\w+ ){0,3}(?:minggu (?:depan|ini)|bulan ini|besok|"
        r"lusa|secepatnya|this week|next week|tomorrow|asap|immediately)",
    ),
    rule(
        "rushed_process",
        r"proses(?:nya)? (?:yang )?(?:sangat |super |amat |serba )?(?:cepat|kilat|express|ekspres|singkat|instan)|"
        r"proses (?:\d|satu|dua|tiga|beberapa) (?:hari|minggu)|"
        r"(?:paspor|visa|dokumen) (?:jadi|beres|selesai|keluar) (?:dalam )?(?:\d|satu|dua|tiga|"
        r"beberapa) (?:hari|minggu)|(?:\d|satu|dua|tiga) (?:hari|minggu) (?:beres|jadi|selesai)|"
        r"butuh (?:cepat|segera)|dibutuhkan (?:segera|cepat)|dicari (?:segera|cepat)|"
        r"(?:segera|langsung|cepat) (?:mendapatkan |mendapat |dapat |diberi )?(?:penempatan|ditempatkan|"
        r"diberangkatkan|kerja di luar negeri)|"
        r"urgent|urgently|segera berangkat|fast process|quick process|lebih cepat|"
        r"berangkat (?:cepat|kilat)|cepat berangkat|"
        r"tanpa (?:antri|antre|antrian|antrean|menunggu lama|nunggu lama)|(?:tidak|gak) (?:pakai|pake) lama|"
        r"(?:start|leave|depart|work) immediately|immediate (?:start|departure)|"
        r"(?:dalam|within|in) (?:\d+|satu|dua|1x24|2x24) (?:jam|hours)|"
        r"(?:dalam )?waktu (?:yang )?(?:sangat |amat |super )?(?:singkat|cepat|sebentar)",
        NEG,
        2,
    ),
    # ---- skipped_requirements ------------------------------------------------------------------------------
    rule(
        "skipped_requirements",
        r"(?:tidak|tanpa|no|without) (?:perlu |usah |butuh |pakai |harus |ada |wajib |diwajibkan |diharuskan |"
        r"disyaratkan |dituntut |"
        r"need |needed |required )?(?:(?:perlu|usah|butuh|pakai|harus|ada|wajib|punya|bawa|"
        r"minta|meminta|memerlukan|membutuhkan|mensyaratkan|mengikuti|melalui|lewat|bisa|mahir|fasih|belajar|sekolah|kursus|"
        r"urus|ribet|any|a|the|lulus|ikut|tes|test|syarat|bikin|buat) )?(?:pengalaman|ijazah|pelatihan|training|kualifikasi|"
        r"persyaratan|prosedur|eps topik|eps|jft|"
        r"sertifikat|sertifikasi|medical|mcu|tes|test|ujian|pendidikan|syarat|skill|"
        r"keahlian|seleksi|kursus|experience|degree|diploma|certificate|qualification|"
        r"qualifications|interview|wawancara|bahasa|language|cek kesehatan|"
        r"pemeriksaan kesehatan|paspor|passport|dokumen|documents|ribet)",
    ),
    rule(
        "skipped_requirements",
        r"(?:per|ber)?syarat(?:an)?(?:nya)?(?: kerja)? (?:yang )?(?:sangat |super |amat |cukup )?"
        r"(?:cuma|hanya|cukup|mudah|gampang|ringan)|(?:per|ber)?syarat(?:an)?(?:nya)?(?: \w+){0,5} (?:mudah|gampang|ringan)|"
        r"(?:diurus|dibuat|dibuatkan|diurusin|bikin) (?:\w+ )?(?:ktp|identitas|kk) baru|(?:ktp|identitas) baru (?:\w+ ){0,2}"
        r"(?:diurus|dibuat|dibuatkan)|"
        r"cukup (?:bisa|punya|modal|bawa|kirim) |(?:no|without) experience|"
        r"(?:cuma|hanya|cukup) (?:bawa|punya|modal|bermodal|pakai|butuh|perlu) (?:\w+ )?(?:paspor|passport|ktp|kk)|"
        r"(?:training|pelatihan|latihan) (?:cuma |hanya )?(?:sehari|satu hari|1 hari|dua hari|2 hari|beberapa jam)|"
        r"experience (?:not|is not) (?:needed|required)|(?:dijamin|pasti) (?:lolos|lulus|"
        r"berangkat)|langsung kerja tanpa|guaranteed (?:to pass|visa|job)|"
        r"(?:no|without) (?:any )?(?:requirements|qualifications)|anyone can apply|"
        r"(?:dokumen|surat|visa) (?:nyusul|menyusul|belakangan)|"
        r"sertifikat(?:nya)? (?:\w+ ){0,4}(?:bisa|dapat|boleh) (?:dibeli|beli|diatur|dibuatkan)|beli sertifikat|"
        r"(?:dokumen|ijazah|sertifikat|data|ktp|identitas|surat|cap|stempel)(?:nya)?(?: \w+){0,2} (?:dipalsukan|dipalsu|direkayasa|palsu|"
        r"diakali)|"
        r"(?:syarat|syaratnya|bersyaratkan|persyaratan)(?: \w+){0,5} (?:ktp|kk|paspor|passport) (?:saja|aja|doang)|"
        r"(?:ktp|kk) (?:dan|&) (?:ktp|kk)(?: \w+)? (?:saja|aja|doang)|"
        r"(?:modal|bermodal|bawa) (?:ktp|kk|paspor)(?: \w+)? (?:saja|aja|doang|sahaja)",
    ),
    # ---- irregular_route -----------------------------------------------------------------------------------
    rule(
        "irregular_route",
        r"jalur (?:belakang|tikus|gelap|ilegal|tidak resmi|samping|darat diam)|jalan (?:belakang|"
        r"tikus)|pelabuhan (?:tikus|rakyat|gelap|ilegal)|(?:naik|pakai|pake|lewat|by|via) (?:speed ?boat|speedboat|"
        r"perahu|pompong|kapal (?:kecil|kayu|malam|nelayan)|boat)|kapal malam|kapal (?:laut )?(?:pada )?(?:malam|subuh|tengah malam)|"
        r"(?:nyebrang|menyeberang|nyeberang|diseberangkan|menyeberangi|cross(?:ing)?) "
        r"(?:\w+ )?(?:sungai|river|hutan|perbatasan|border)|jalan kaki (?:ke|lewat|menyeberang|"
        r"lintas)|(?:masuk|lewat) (?:entikong|nunukan|tawau|sebatik|tanjung balai)"
        r"(?: \w+){0,3} (?:jalan kaki|kapal|perahu|speed|malam|darat)|mae sot|maesot|"
        r"diselundupkan|smuggl\w*|back ?door|jalur darat ke (?:malaysia|myanmar|thailand)|"
        r"(?:jalur|lewat|via) darat (?:\w+ )?(?:dari|lewat|via|ke|melalui) (?:malaysia|thailand|myanmar|kamboja|laos)",
        WARN,
        2,
    ),
    rule(
        "irregular_route",
        r"(?:tanpa|tidak (?:usah|perlu|pakai)|belum (?:punya|ada)|no|without) "
        r"(?:pakai |ada |punya |a |need |bikin |buat )?(?:paspor|passport)|(?:paspor|passport) (?:nyusul|menyusul|belakangan|nanti (?:saja|"
        r"aja|dibuat|diurus|nyusul)|not needed|later)|(?:paspor|passport) (?:tidak|gak) "
        r"(?:perlu|usah|wajib)",
    ),
    # ---- document_retention --------------------------------------------------------------------------------
    rule(
        "document_retention",
        r"(?:paspor|passport|ktp|dokumen|documents|id card|identitas|kk|ijazah|sertifikat|surat surat|buku pelaut)"
        r"(?:nya| mu| kamu| anda|"
        rf" you| your)? (?:\w+ ){{0,3}}{HOLD} (?:\w+ ){{0,1}}(?:oleh |sama |ke manning |"
        r"sm |di |ke |karo |neng )?(?:agen|agency|pt|perusahaan|majikan|sponsor|bos|kami|saya|company|"
        r"employer|agent|penampungan|calo|mereka|kantor|penyalur|ejen|pihak|lembaga|lpk|yayasan|sekolah)",
        NEG,
        2,
        r"(?:\w+ )?(?:sendiri|masing|by yourself|yourself)",
    ),
    rule(
        "document_retention",
        r"(?:saya|sy|kami|agen|majikan|perusahaan|pt|bos|sponsor|we|employer|agent|company|"
        r"agency|they) (?:akan |will |yang |yg )?(?:pegang|simpan|tahan|ambil|sita|keep|"
        r"hold|take|holds|keeps|takes) (?:\w+ )?(?:paspor|passport|ktp|dokumen|documents|"
        r"id card)|(?:paspor|passport) (?:\w+ )?(?:pegang|simpan|tahan) dulu|"
        r"(?:paspor|passport|ktp|dokumen)(?:nya)? (?:kamu |mu |anda |your )?(?:kami|saya|kita|agen|bos|majikan|pt) "
        r"(?:yang |yg )?(?:pegang|simpan|tahan)",
        NEG,
        2,
        r"(?:\w+ )?(?:sendiri|masing|by yourself|yourself)",
    ),
    rule(  # any verb form, either order: "paspor nanti saya pegang", "majikan menahan paspor", "paspore dicekel"
        "document_retention",
        rf"(?:paspor|passport|ktp|dokumen|identitas)(?:nya| mu| kamu| anda)? (?:\w+ ){{0,2}}(?:saya|aku|kami|kita|"
        rf"agen|bos|majikan|pt|sponsor|perusahaan|calo|mereka|dia|penyalur|ejen) (?:yang |yg |akan |nanti )?{HOLD}|"
        # "perusahaan tidak menyimpan paspor pekerja" promises the opposite: no negation between subject and verb
        rf"(?:agen|agency|majikan|perusahaan|pt|bos|sponsor|calo|penyalur|ejen|pihak \w+|kami|saya|mereka) "
        rf"(?:{_NOT_NEG}\w+ ){{0,2}}{HOLD} (?:\w+ ){{0,2}}(?:paspor|passport|ktp|dokumen|identitas)|"
        rf"(?:menyerahkan|serahkan|diserahkan|kumpulkan|titipkan|kasih|kasihkan|hand over|surrender) "
        rf"(?:\w+ ){{0,2}}(?:paspor|passport|ktp asli|dokumen asli)",
        NEG,
        2,
        r"(?:\w+ )?(?:sendiri|masing|by yourself|yourself)",
    ),
    rule(  # "tidak pernah memegang paspor (yang katanya diurus oleh agen)"
        "document_retention",
        r"(?:tidak|tak|belum|gak) (?:pernah |sempat |boleh |bisa )?(?:memegang|pegang|megang|menyimpan|melihat) "
        r"(?:\w+ )?(?:paspor|dokumen)(?:nya| sendiri| saya| aku)?",
        # said by the recruiter ("kami tidak pernah memegang paspor Anda") it is the opposite
        frozenset({"agen", "agency", "kami", "perusahaan", "pt", "majikan", "sponsor", "bos", "kita"}),
        3,
    ),
    rule(
        "document_retention",
        r"(?:passport|passports|id card|documents|ktp|paspor)(?: \w+)? (?:will be |is |are |was |be )?(?:kept|held|taken|"
        r"retained|confiscated|collected|kept safe) (?:\w+ ){0,2}by (?:the |your |our |my |his |her |their )?(?:employer|agent|agency|company|"
        r"boss|recruiter|sponsor|us)",
        NEG,
        2,
    ),
    # ---- underage (ages are judged in offers.py) ------------------------------------------------------------
    rule(
        "underage",
        r"(?:umur|usia|age)(?:nya)? (?:bisa |akan |nanti )?(?:dituakan|dinaikkan|dipalsukan|diubah|"
        r"diganti|ditambah)|dituakan|memalsukan umur|palsukan umur|fake (?:age|birth)|di bawah umur|"
        r"dibawah umur|under ?age|underage|under 18|dibawah 18|di bawah 18|anak (?:sd|smp|sekolah) "
        r"(?:bisa|boleh)|(?:lulusan|tamatan|tamat) smp (?:bisa|boleh)",
        NEG,
        2,
    ),
    # ---- secrecy -------------------------------------------------------------------------------------------
    rule(
        "secrecy",
        r"(?:jangan|tidak usah|gak usah|tidak boleh|gak boleh|jgn|ga usah|nggak usah) (?:(?!lupa)\w+ )?"
        r"(?:bilang|kasih tahu|kasih tau|kasi tau|kasi tahu|cerita|ngomong|beritahu|memberitahu|"
        r"memberi tahu|lapor|kabari|ngabarin|info|bicara)(?: \w+)?(?: ke| kepada| sama| sm| pada)? "
        r"(?:keluarga|orang tua|ortu|siapa|siapapun|siapa siapa|suami|istri|orang|ibu|bapak|ayah|"
        r"mama|papa|emak|bapak|kades|kepala desa|polisi|tetangga|teman|pihak)|rahasiakan|"
        r"(?:di|ter)?rahasia(?:kan)? (?:ya|dulu|dari)|diam diam|secara rahasia|"
        r"(?:not|don t|do not|never) (?:to )?tell (?:\w+ ){0,2}(?:anyone|anybody|family|parents|your|husband|wife|"
        r"mother|father|mom|dad|relatives|friends|police|nobody)|"
        r"keep (?:it |this )?(?:a )?secret|tell no one|"
        r"(?:keluarga|orang tua|suami|istri|ibu|bapak|ayah|mama|papa|emak|suamimu|istrimu)(?:nya| mu| kamu)? "
        r"(?:\w+ )?(?:jangan|tidak usah|tidak perlu|tidak boleh|tak usah) (?:\w+ )?(?:dikasih tahu|dikasih tau|diberitahu|"
        r"dikabari|dikabarin|dikasih kabar|tahu|dulu tahu)|(?:kalau|kalo|jika|if) (?:\w+ ){0,2}"
        r"(?:keluarga\w*|orang tua\w*|suami\w*|istri\w*|family|parents) (?:\w+ )?(?:nanya|tanya|"
        r"bertanya|asks?) (?:\w+ ){0,2}(?:bilang|jawab|say)",
    ),
    # ---- personal_data_request -----------------------------------------------------------------------------
    rule(
        "personal_data_request",
        r"foto (?:\w+ ){0,2}(?:full ?badan|full ?body|seluruh badan|badan|bikini|"
        r"baju renang|pakaian renang|swimsuit|seksi|sexy|bugil|telanjang|tanpa busana|"
        r"close up|(?:pakaian|baju|dress|busana) (?:ketat|seksi|sexy|minim|terbuka))|"
        r"(?:full ?body|bikini|swimsuit|body|nude|sexy) (?:photo|photos|pic|"
        r"pics|picture|pictures|foto)|(?:pakai|pake|memakai|in|wearing) (?:bikini|"
        r"baju renang|swimsuit)|(?:photo|photos|pictures) (?:in|wearing) (?:a )?"
        r"(?:bikini|swimsuit)",
        NEG,
        2,
    ),
    rule(
        "personal_data_request",
        r"(?:kirim|kirimkan|kirimin|kirimi|dikirim|send|upload|fotokan|fotoin|foto|minta|meminta|diminta|mintain|"
        r"asked|ask|asks|asking|"
        # handing the document itself over is its retention, not a request for data
        r"wants|requested) (?:for )?(?:(?!menyerahkan|serahkan|diserahkan|titipkan|mengumpulkan|kumpulkan|hand)\w+ ){0,3}"
        r"(?:foto |scan |photo |"
        r"copy )?(?:ktp|kk|kartu keluarga|paspor|passport|id card|data pribadi|"
        r"nomor rekening|rekening|pin|otp|ijazah)(?: (?:ke|via|lewat|by|to) "
        r"(?:wa|whatsapp|inbox|dm|japri|nomor|no|telegram|sini|saya))?",
        NEG,
        2,
        r"(?:\w+ ){0,3}(?:ke|di) (?:disnaker|ltsa|bp3mi|kantor|loket)|(?:\w+ ){0,6}(?:dikembalikan|kembali)",
    ),
    # ---- romance_lure --------------------------------------------------------------------------------------
    rule(
        "romance_lure",
        r"pacar (?:online|onlen|dari fb|dari ig|di fb|di ig|dunia maya|medsos|luar negeri)|"
        r"pacaran (?:online|onlen|lewat)|(?:online|internet) (?:girlfriend|boyfriend|partner|"
        r"lover|pacar)|(?:kenalan|kenal) (?:di|lewat|dari|via|from|on) (?:fb|facebook|ig|instagram|"
        r"tiktok|medsos|media sosial|aplikasi|app|online|michat|tantan|whatsapp)(?: \w+){0,8} "
        r"(?:nikah|menikah|nikahin|nikahi|menikahi|kawin|married|marry|lamar|melamar|jodoh)|"
        r"(?:mau|akan|ingin|janji|berjanji|siap|will|wants to|promised to) (?:\w+ )?(?:menikahi|"
        r"nikahin|nikahi|ngawinin|mengawini|melamar|marry)|biro jodoh|mak comblang|comblang|"
        r"matchmaker|match maker|pengantin pesanan|mail order bride|kawin kontrak|nikah kontrak|"
        r"dijodohkan dengan (?:orang|pria|wanita) (?:asing|luar|china|cina|korea|taiwan)|"
        r"(?:menikah|nikah|dinikahi|dinikahkan|menikahi|kawin|dikawinkan|dijodohkan|dilamar|melamar|married|marry|"
        r"bride|proposed) "
        r"(?:\w+ ){0,3}(?:pria|warga|wn|wna|laki laki|lelaki|cowok|orang|man|men|suami)(?: negara)? "
        r"(?:asal )?(?:china|cina|tiongkok|taiwan|korea|asing|luar negeri|foreign|chinese|korean|taiwanese)|"
        r"(?:pria|warga|wn|wna|laki laki|lelaki|cowok|orang)(?: negara)? (?:china|cina|tiongkok|taiwan|korea|asing)"
        r"(?: \w+){0,4} (?:untuk )?(?:dinikahi|menikahi|dinikahkan|nikahin|dikawini)|"
        r"(?:uang )?mahar|mas kawin|maskawin|calon suami (?:dari )?(?:china|cina|tiongkok|taiwan|korea|luar negeri)",
        NEG,
        2,
    ),
)

# ---- countries, jobs and plausible pay -----------------------------------------------------------------

COUNTRY_WORDS: dict[str, tuple[str, ...]] = {
    "Kamboja": ("kamboja", "cambodia", "cambodja", "kambodia", "kamboya", "phnom penh", "pnom penh", "sihanoukville",
                "sihanouk", "bavet", "poipet", "kampuchea"),
    "Myanmar": ("myanmar", "burma", "birma", "myawaddy", "myawadi", "kk park", "shwe kokko", "yangon"),
    "Laos": ("laos", "vientiane", "golden triangle", "segitiga emas"),
    "Thailand": ("thailand", "thailan", "tailand", "thai", "bangkok", "mae sot", "maesot", "don mueang", "pattaya"),
    "Filipina": ("filipina", "philippines", "philippine", "pilipina", "filipin", "manila", "phillipines"),
    "Malaysia": ("malaysia", "malaysa", "malay", "msia", "kuala lumpur", "johor", "sabah", "sarawak", "penang",
                 "selangor", "tawau", "kl"),
    "Singapura": ("singapura", "singapore", "spore", "singapur"),
    "Hong Kong": ("hong kong", "hongkong", "hk", "hongkok"),
    "Taiwan": ("taiwan", "taiwn", "taipei", "taipe", "taichung", "kaohsiung"),
    "Korea Selatan": ("korea", "korsel", "south korea", "seoul"),
    "Jepang": ("jepang", "japan", "japang", "tokyo", "osaka"),
    "Brunei": ("brunei",),
    "Arab Saudi": ("arab saudi", "saudi", "arab", "ksa", "riyadh", "riyad", "jeddah", "jedah", "jiddah", "mekkah",
                   "makkah", "madinah", "dammam", "timur tengah", "middle east", "timteng"),
    "Uni Emirat Arab": ("uni emirat arab", "uae", "uea", "emirat", "emirates", "dubai", "abu dhabi", "abudhabi",
                        "sharjah"),
    "Kuwait": ("kuwait", "kuwet"), "Qatar": ("qatar", "katar", "doha"), "Oman": ("oman", "muscat"),
    "Bahrain": ("bahrain", "bahrein"), "Yordania": ("yordania", "jordan", "yordan", "amman"),
    "Suriah": ("suriah", "syria", "siria"), "Irak": ("irak", "iraq"), "Lebanon": ("lebanon", "libanon"),
    "Mesir": ("mesir", "egypt"), "Yaman": ("yaman", "yemen"), "Libya": ("libya", "libia"),
    "Aljazair": ("aljazair", "algeria"), "Maroko": ("maroko", "morocco"), "Tunisia": ("tunisia",),
    "Iran": ("iran",), "Pakistan": ("pakistan",), "Sudan": ("sudan",), "Palestina": ("palestina", "palestine"),
    "Mauritania": ("mauritania",), "Turki": ("turki", "turkey", "turkiye"),
    "Polandia": ("polandia", "poland"), "Australia": ("australia",), "China": ("china", "cina", "tiongkok"),
    "Eropa": ("eropa", "europe", "jerman", "germany", "belanda", "inggris raya", "uk", "rumania", "romania",
              "hungaria", "ceko", "slovakia", "portugal", "spanyol", "italia", "yunani", "malta", "lithuania"),
}  # fmt: skip
# Kepmenaker 260/2015 (content-facts 4.4): no placement with individual employers in these countries.
MIDDLE_EAST = frozenset({"Arab Saudi", "Uni Emirat Arab", "Kuwait", "Qatar", "Oman", "Bahrain", "Yordania", "Suriah",
                         "Irak", "Lebanon", "Mesir", "Yaman", "Libya", "Aljazair", "Maroko", "Tunisia", "Iran",
                         "Pakistan", "Sudan", "Palestina", "Mauritania"})  # fmt: skip
# Online-scam hubs (content-facts 5.4) and countries KP2MI names as without a placement agreement (4.4).
SCAM_COUNTRIES = frozenset({"Kamboja", "Myanmar", "Laos", "Thailand", "Filipina"})
NO_AGREEMENT = frozenset({"Kamboja", "Myanmar", "Thailand"})

JOB_WORDS: dict[str, str] = {
    # domestic work
    r"prt|art|pembantu(?: rumah tangga)?|asisten rumah tangga|rumah tangga|tkw|babu|baby ?sitter|babysitter|"
    r"pengasuh(?: anak| bayi| lansia| jompo)?|perawat (?:lansia|jompo|orang tua)|caregiver|care giver|nanny|"
    r"housemaid|maid|house ?keeper|domestic (?:helper|worker)|helper|sopir (?:keluarga|pribadi)|family driver|"
    r"khadimat|khadimah|khodimat|khodimah|pembokat|babu|inem|supir (?:keluarga|pribadi)|driver keluarga|"
    r"majikan perorangan|pengguna perorangan|keluarga (?:saudi|arab|kaya)|(?:saudi|arab|local) family|"
    r"juru masak keluarga|family cook": "domestic",
    # office / online work (the scam-compound lure)
    r"admin|administrasi|cs|customer service|customer support|telemarketing|tele marketing|marketing(?: online)?|"
    r"digital marketing|operator(?: chat| komputer| game| warnet)?|typing|typist|ketik|mengetik|ngetik|chat(?:ting)?|"
    r"live chat|data entry|it support|programmer|judi online|judol|slot|casino|kasino|scammer|scam|"
    r"crypto|kripto|game online|kerja online|perusahaan online|online company|sales online|"
    r"call center|office|kantoran|kerja kantor|staf kantor": "office",
    r"restoran|restaurant|rumah makan|pelayan|waiter|waitress|hotel|spg|toko|kasir|cleaning(?: service)?|"
    r"cleaner|dapur|kitchen|cafe|kafe|bar|karaoke|spa|terapis|massage|pijat|model|penari|dancer|lc": "service",
    r"pabrik|kilang|factory|manufaktur|operator produksi|produksi|kebun|sawit|ladang|perkebunan|plantation|"
    r"konstruksi|construction|proyek|bangunan|tukang|las|welder|gudang|warehouse|peternakan|farm": "manual",
    r"abk|anak buah kapal|kapal ikan|fishing|nelayan|pelaut|seaman|crew kapal": "fishing",
}

# Plausible upper bound of a monthly wage in rupiah, per destination and job category. HEURISTIC, not content:
# rounded from typical published minimum/standard wages (e.g. Hong Kong's minimum allowable wage for domestic
# helpers ~HK$5,000; Taiwan's minimum wage ~NT$28,000; Malaysia's minimum wage ~RM1,700) and generous
# margins for overtime. An offer above the bound for its job is "far above the norm" (design section 4).
# The `*` row is any job not otherwise listed; the `None` country is an offer that names no country.
PAY_CEILING_IDR: dict[str | None, dict[str, float]] = {
    "Malaysia": {"*": 11e6, "domestic": 8e6},
    "Singapura": {"*": 24e6, "domestic": 12e6},
    "Brunei": {"*": 12e6, "domestic": 9e6},
    "Hong Kong": {"*": 13e6, "domestic": 12.5e6},  # nearly all Indonesians in HK are domestic workers
    "Taiwan": {"*": 17.5e6, "domestic": 12e6},
    "Korea Selatan": {"*": 35e6},
    "Jepang": {"*": 32e6},
    "Kamboja": {"*": 14e6}, "Myanmar": {"*": 14e6}, "Laos": {"*": 14e6}, "Thailand": {"*": 14e6},
    "Filipina": {"*": 14e6},
    **{c: {"*": 14e6, "domestic": 9e6} for c in MIDDLE_EAST},
    "Turki": {"*": 18e6}, "Polandia": {"*": 28e6}, "Eropa": {"*": 30e6}, "Australia": {"*": 45e6},
    "China": {"*": 18e6},
    None: {"*": 25e6, "domestic": 12e6},
}  # fmt: skip

SALARY_CUES = frozenset({"gaji", "gajinya", "salary", "upah", "penghasilan", "pendapatan", "income", "digaji",
                         "bayaran", "earn", "earning", "earnings", "wage", "wages", "pay", "paid", "honor",
                         "bergaji", "gajih", "gaj", "salery"})  # fmt: skip
SALARY_AFTER = re.compile(r"^\s*(?:/|per|a|sebulan|perbulan|tiap|setiap|each)?\s*(?:bln|bulan|month|mo|bulanan|"
                          r"monthly)\b", re.IGNORECASE)  # fmt: skip
FEE_CUES = frozenset({"biaya", "bayar", "dp", "transfer", "tf", "uang", "fee", "fees", "deposit", "cicil", "dicicil",
                      "pinjaman", "pinjam", "tip", "potong", "modal", "setor", "ongkos", "pungutan", "jaminan",
                      "pay", "utang", "hutang", "dikasih", "rp5", "membayar", "komisi", "angsuran", "cicilan",
                      "dipotong", "potongan", "harus", "wajib", "commission", "charged", "dikenai"})  # fmt: skip

# Verb roots whose passive is often written apart in chat and news ("di simpan majikan", "di potong gaji"): "di" + one
# of these is read as one word. Only verbs: "di sana", "di pabrik" stay a place.
DI_PASSIVE_ROOTS = frozenset({
    "tahan", "pegang", "simpan", "simpen", "ambil", "sita", "kumpulkan", "titipkan", "titip", "amankan", "kuasai",
    "potong", "potongkan", "urus", "uruskan", "bayar", "bayarkan", "tanggung", "cicil", "kasih", "beri", "berikan",
    "minta", "mintai", "janjikan", "jamin", "berangkatkan", "palsukan", "buat", "buatkan", "tawari", "tawarkan",
    "ajak", "bawa", "rekrut", "pekerjakan", "talangi", "pinjami", "pinjamkan", "kenakan", "pungut", "suruh", "paksa",
    "sekap", "kurung", "jual", "rahasiakan", "ganti", "ubah", "rubah", "proses", "selundupkan", "seberangkan",
})  # fmt: skip

# Chat abbreviations and common misspellings, expanded before matching.
CHAT = {
    "gk": "tidak", "tak": "tidak", "ga": "tidak", "gak": "tidak", "nggak": "tidak", "ngga": "tidak", "enggak": "tidak",
    "engga": "tidak", "tdk": "tidak", "ndak": "tidak", "kagak": "tidak", "ngak": "tidak", "gx": "tidak",
    "gausah": "tidak usah", "gusah": "tidak usah", "gaperlu": "tidak perlu", "gaada": "tidak ada", "gada": "tidak ada",
    "yg": "yang", "dgn": "dengan", "dg": "dengan", "sy": "saya", "aq": "aku", "ak": "aku", "gw": "saya",
    "gue": "saya", "utk": "untuk", "untk": "untuk", "krn": "karena", "karna": "karena", "blm": "belum",
    "sdh": "sudah", "udh": "sudah", "udah": "sudah", "dah": "sudah", "jd": "jadi", "jdi": "jadi", "bln": "bulan",
    "thn": "tahun", "th": "tahun", "hr": "hari", "mgg": "minggu", "mgu": "minggu", "bs": "bisa", "bsa": "bisa",
    "pake": "pakai", "pk": "pakai", "dr": "dari", "dl": "dulu", "dlu": "dulu", "aj": "aja", "sm": "sama",
    "kalo": "kalau", "klo": "kalau", "kl": "kalau", "tp": "tapi", "lg": "lagi", "org": "orang", "ortu": "orang tua",
    "jgn": "jangan", "gmn": "bagaimana", "brgkt": "berangkat", "brkt": "berangkat", "brangkat": "berangkat",
    "paspot": "paspor", "gajih": "gaji", "sahaja": "saja", "paspore": "paspor", "pasporku": "paspor", "kontrake": "kontrak", "pasport": "paspor", "pasprot": "paspor", "pasor": "paspor", "pspor": "paspor",
    "umrah": "umroh", "umro": "umroh", "jt": "juta", "jeti": "juta", "rb": "ribu", "tlg": "tolong",
    "kasi": "kasih", "tau": "tahu", "dikasi": "dikasih", "disana": "di sana", "dsana": "di sana", "dsn": "di sana",
    "trus": "terus", "lowker": "lowongan", "loker": "lowongan", "kerjaan": "kerja", "ijasah": "ijazah",
    "sertipikat": "sertifikat", "serifikat": "sertifikat", "pengalamn": "pengalaman", "pngalaman": "pengalaman",
    "visa2": "visa", "tiket2": "tiket", "siapa2": "siapa siapa", "temen2": "teman", "anak2": "anak",
    "costumer": "customer", "custumer": "customer", "cewe": "cewek", "sampe": "sampai", "sapa": "siapa", "sapa2": "siapa siapa", "aku": "saya", "nyampe": "sampai", "cowo": "cowok", "sodara": "saudara", "nikahin": "nikahin", "gaji2": "gaji",
    "wa": "wa", "hp": "hp", "no": "no", "thailan": "thailand", "kamboja2": "kamboja", "pmi": "pmi",
    "mba": "mbak", "lwt": "lewat", "bnyk": "banyak", "byk": "banyak", "sndiri": "sendiri", "mb": "mbak", "kk": "kk", "dp": "dp", "tki": "tki", "spsk": "spsk",
}  # fmt: skip

# Distinctive words that are often misspelled; a token close to one of them (edit ratio >= 85, same length +-1)
# is read as it.
FUZZY_VOCAB = (
    "paspor", "passport", "kamboja", "cambodia", "myanmar", "thailand", "filipina", "malaysia", "singapura",
    "hongkong", "pendaftaran", "administrasi", "penempatan", "pelatihan", "sertifikat", "pengalaman", "rahasiakan",
    "keberangkatan", "telemarketing", "marketing", "customer", "operator", "perorangan", "speedboat", "dipegang",
    "menikahi", "kunjungan", "ziarah", "wisata", "ijazah", "berangkat", "pinjaman", "potongan", "deposit",
    "registration", "experience", "secret", "tourist", "salary", "deducted", "contract", "dicicil", "jaminan",
)  # fmt: skip
