"""The safety net sends danger to `emergency` whatever the classifier said, and leaves the rest alone."""

from __future__ import annotations

import copy

import pytest

from nlu import published
from nlu.evaluate import load_examples
from nlu.safety import apply_safety, danger_level, is_danger, sentences
from tests.nlu.conftest import NLU_DATA, NLU_TEST

DANGER = [
    "tolong saya dikurung majikan",
    "sy dkurung gk blh kluar",
    "saya di kurung di kamar",
    "majikan mukul saya terus",
    "aku dipukulin tiap hari",
    "saya disiksa",
    "sy dsiksa majikan tlg",
    "paspor saya ditahan agen dan saya tidak boleh keluar",
    "paspor sy di tahan",
    "gk dikasi mkn udh 3 hari",
    "saya tidak diberi makan",
    "saya diancam mau dibunuh",
    "kami dipaksa kerja jadi scammer",
    "adik saya disekap di kamboja",
    "tolong!!!",
    "tolong tolong",
    "help me",
    "they locked me in the room",
    "my employer beats me",
    "they took my passport and won't let me leave",
    "i am trapped in a compound",
    "saya kabur dari majikan dan sekarang sembunyi",
    "darurat",
    "bos saya pukulin saya pake kayu",
    "sudah 2 hari ga makan, majikan marah2 terus",
    "tolong kak aku ketakutan, dia mau bunuh aku",
    "pasporku ditahan majikan",
    "tolong, sy ga dibolehin pulang",
    "my boss won't give me my passport back",
]

NOT_DANGER = [
    "cara bikin paspor",
    "paspor saya hilang waktu pulang",
    "perpanjang paspor di mana",
    "apa itu kerja paksa",
    "apakah agen boleh menahan paspor pekerja?",
    "tolong cek lowongan ini",
    "tolong hapus data saya",
    "bisa bantu saya cari kantor dinsos",
    "can you help me find an office near surabaya",
    "hapus chat ini",
    "saya mau kerja ke taiwan",
    "akun facebook saya dikunci",
    "pukul berapa kantor buka",
    "paspor saya mau habis, cara perpanjang?",
    "help",
    "dulu saya pernah dipukul majikan, sekarang sudah pulang dan butuh modal usaha",
]


# Danger told as a situation, inside long polite messages, without an alarm word.
SITUATIONS = [
    "Assalamualaikum warahmatullahi wabarakatuh. Perkenalkan nama saya Yati dari Subang, sekarang kerja di "
    "Dammam. Tolong saya, saya ingin pulang, badan saya sakit semua dan majikan tidak peduli.",
    "Kami berjumlah 23 orang, memohon kepada Bapak Presiden agar segera mengevakuasi kami dari perusahaan "
    "ini di Myawaddy.",
    "Yth. pemerintah Indonesia, tolong jemput kami, kami ingin pulang ke tanah air",
    "Selamat malam. Pintu kamar selalu dikunci dari luar, saya hanya keluar kalau disuruh masak.",
    "Di mess ini kami dijaga ketat oleh orang bersenjata, tidak ada jalan untuk kabur.",
    "Mohon maaf mengganggu. Sudah dua bulan saya pendarahan, tidak pernah dibawa ke dokter sama bos.",
    "Kata bosnya kalau kami melapor, tangan kami akan dipotong dan kami tidak akan pernah dipulangkan.",
    "Pak, pulangkan kami. Sudah empat bulan gaji kami tidak dibayar dan kami kerja tanpa libur.",
    "sy pgn kabur tp gk tau jalan, tlg sy",
    "Good evening sir, we are 12 workers, please bring us home, we are guarded day and night.",
    "Halo kak. Sy di Malaysia. Sy sakit tp gk dikasih obat, disuruh kerja trs.",
    "Bismillah, saya mohon bantuan. Gaji saya lima bulan tidak dibayar, saya mau pulang tapi tidak punya uang.",
    "Anak saya cerita dia takut sekali, waktu mau mengungsi malah dilarang majikannya.",
    "Mohon bapak segera menyelamatkan kami, nyawa kami terancam di sini.",
    "Majikan saya tidak mau memulangkan saya padahal kontrak sudah habis.",
    "Saya ingin pulang tapi majikan tidak mengijinkan, selalu menakut-nakuti saya.",
    "Majikan saya tidak pernah mengizinkan saya keluar rumah, pintu selalu digembok.",
    "Ibu saya masih di sana dan sakit, majikannya tidak mau membawanya berobat dan tidak mengizinkan pulang.",
    "Hp kami dikumpulkan setiap malam oleh penjaga.",
    "Dokumen saya semua dipegang bos, saya tidak bisa ke mana-mana.",
    "Mereka minta uang ganti rugi 20 juta sebelum saya boleh pulang.",
    "Sudah enam bulan gaji saya tidak dibayar dan majikan bilang saya harus terus kerja.",
    "Kami para ABK ditinggal di kapal yang rusak di tengah laut, makanan hampir habis.",
    "Tolong kami, kapal kami tidak pernah merapat ke pelabuhan sudah setahun.",
    "Anak saya bilang dia disuruh kerja terus, kalau mengantuk disiram air sama mandor.",
    "tlg jmpt sy di bandara, agen mau bawa sy ke tmpt lain",
    "Please come and get us, we are stuck in this building in Myanmar.",
    "Please help my sister, she is locked inside her employer's house.",
    "They say if we try to leave they will shoot us.",
    # cut off from family, kept working while sick, no food, soldiers at the gate, leaving only
    # against a penalty, debt bondage, not sent home "padahal" the contract ended long ago
    "Saya dilarang salat dan dilarang menelpon keluarga.",
    "Selamat malam, saya Ratna asal Blitar, sekarang di Taiwan. Agensi menyuruh saya tetap kerja padahal kaki "
    "saya bengkak dan tidak bisa jalan.",
    "Kami 40 orang PMI terlantar di bandara Dubai karena agen tidak datang. Tidak ada makanan.",
    "Kami tinggal di barak dengan pagar kawat berduri, ada tentara yang berjaga di luar.",
    "Saya mau pulang tapi majikan bilang harus bayar dulu biaya agen tiga puluh juta.",
    "Dia bilang kalau mau keluar dari perusahaan itu harus membayar 30 ribu yuan.",
    "Mereka bilang kami harus bekerja sampai utang kami lunas, padahal kami tidak pernah berutang.",
    "Majikan tidak mau memulangkan saya padahal kontrak saya sudah habis dua tahun lalu.",
    "Anak saya bilang mereka hanya diberi mie instan sekali sehari dan tidak digaji.",
    # made to sleep in a storeroom, taken somewhere unknown, sick and still made to work, kept on board
    "Saya disuruh tidur di gudang dan gaji saya sudah empat bulan tidak dibayar.",
    "Saya dibawa agen ke kota lain, saya tidak tahu sekarang ada di mana, hp saya lowbat.",
    "Kami disuruh kerja 16 jam sehari, kalau sakit tetap disuruh kerja, gaji dipotong terus.",
    "Pak, suami saya di kapal itu sudah sakit parah dua minggu, kaptennya tidak mau menurunkan dia ke darat.",
    "My agency says I have to pay 3000 dollars if I want to leave this job.",
    "Kami mohon agar anak-anak kami yang masih tertahan di sana bisa segera dibawa pulang.",
    # a relative's plea names whom to bring home; a plea to spread one's video
    "Saya mohon kepada Bapak Presiden, pulangkan ibu saya dari Malaysia.",
    "Kami minta anak kami segera dipulangkan dari Kamboja.",
    "Tolong saya kak, viralkan video ini supaya pemerintah tahu keadaan saya di sini.",
    "Terima kasih KBRI yang sudah memulangkan anak saya, tapi adik saya masih disekap di sana.",
]

# Not danger: questions with nobody in them, the past told from safety, ordinary requests.
SAFE = [
    "bagaimana proses evakuasi WNI kalau ada perang?",
    "apa itu kerja paksa menurut undang-undang?",
    "apakah majikan boleh menahan paspor?",
    "dulu pernah dikurung, sekarang sudah pulang, mau tanya bantuan",
    "Saya sudah di Indonesia. Waktu di Malaysia saya dipukul majikan. Sekarang saya butuh modal usaha.",
    "gaji saya belum dibayar 2 bulan, bagaimana cara menuntut?",
    "saya mau pulang ke indonesia bulan depan, bagaimana cara lapor diri?",
    "Assalamualaikum, nama saya Rina dari Blitar, mau tanya cara daftar kerja ke Hong Kong",
    "agen saya kabur bawa uang pendaftaran, saya mau lapor",
    "saya sakit setelah pulang dari Taiwan, ada bantuan berobat?",
    "ibu saya sakit di kampung, saya ingin pulang, bagaimana caranya memutus kontrak?",
    "tolong bantu saya cari sentra terdekat di Surabaya",
    "Lihat info di https://www.kemlu.go.id. Terima kasih.",
    "bunga di depan rumah disiram air tiap pagi",
    "stok makanan di warung saya habis, mau belanja dulu",
    "apakah majikan boleh tidak mengizinkan pulang?",
    "koper saya ketinggalan di bandara, cara mengurusnya gimana?",
    "Kontrak saya habis bulan depan, kalau mau pulang harus bayar tiket sendiri ya?",
    "Sekarang saya sudah pulang. Waktu di sana saya dilarang menelpon keluarga, sekarang saya mau menuntut gaji.",
    "Saya tetap kerja walaupun sedikit sakit kepala, mau menabung untuk pulang.",
    "Tunggu dulu ya kak, saya mau tanya soal kontrak yang belum dibayar agen.",
    "Kami sedang makan sekali sehari karena puasa, mau tanya jadwal buka kantor KBRI.",
    "Saya tidak tahu di mana kantor KBRI yang paling dekat dari sini.",
    "Waktu berkemah kami tidur di luar rumah, seru sekali.",
    "Kapal feri tidak mau membawa motor ke pelabuhan, bagaimana cara kirim motor?",
    "Do I have to pay for my own ticket to go home when the contract ends?",
    "Barang kiriman saya tertahan di bea cukai, bagaimana cara mengambilnya?",
    "Kami berharap jenazah ayah bisa segera dibawa pulang ke kampung.",
    "Mohon jenazah ibu saya segera dipulangkan ke kampung.",
    "Terima kasih Bapak Gubernur yang sudah membantu memulangkan ibu saya ke Indonesia.",
    "Kak tolong share video cara daftar kerja resmi ke Korea.",
]


@pytest.mark.parametrize("text", SITUATIONS)
def test_danger_told_as_a_situation_is_recognised(text: str) -> None:
    assert is_danger(text)


@pytest.mark.parametrize("text", SAFE)
def test_questions_past_and_requests_are_not_danger(text: str) -> None:
    assert not is_danger(text)


def test_danger_deep_in_a_long_message_is_found() -> None:
    filler = "Saya mau cerita dari awal, mohon dibaca sampai habis. " * 120
    text = filler + "Sekarang saya dikurung di gudang dan tidak dikasih makan."
    assert len(text) > 6000 and is_danger(text)
    assert not is_danger(filler)


def test_sentences_split_on_punctuation_but_not_in_numbers() -> None:
    assert sentences("Gaji Rp 5.000.000. Saya takut!\nTolong") == ["Gaji Rp 5.000.000", "Saya takut", "Tolong"]


def test_anchors_only_skip_work_and_never_change_the_verdict() -> None:
    texts = [e.text for e in load_examples([NLU_DATA, NLU_TEST])] + DANGER + NOT_DANGER + SITUATIONS + SAFE
    texts += [e.text for e in published.load_examples(published.PUBLISHED)]  # real wording, no scores
    differ = [t for t in texts if danger_level(t) != danger_level(t, anchors=False)]
    assert differ == []


@pytest.mark.parametrize("text", DANGER)
def test_danger_is_recognised(text: str) -> None:
    assert is_danger(text)


@pytest.mark.parametrize("text", NOT_DANGER)
def test_near_misses_are_not_danger(text: str) -> None:
    assert not is_danger(text)


def _result(text: str, intent: str, confidence: float, ranking: list[tuple[str, float]]) -> dict:
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": [],
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
    }


def test_a_greeting_read_does_not_hide_a_plea() -> None:
    res = _result(SITUATIONS[0], "greet", 0.8, [("greet", 0.8), ("request_help", 0.1)])
    assert apply_safety(res)["intent"]["name"] == "emergency"


def test_overrides_a_confident_wrong_intent_and_keeps_the_shape() -> None:
    original = _result("majikan mukul sy tiap malam", "greet", 0.9, [("greet", 0.9), ("emergency", 0.05)])
    frozen = copy.deepcopy(original)
    out = apply_safety(original)
    assert original == frozen  # the input is not mutated
    assert out["intent"]["name"] == "emergency"
    assert [r["name"] for r in out["intent_ranking"]] == ["emergency", "greet"]
    assert set(out) == set(original)


def test_overrides_fallback() -> None:
    res = _result("sy di sekap", "nlu_fallback", 0.45, [("nlu_fallback", 0.45), ("greet", 0.3)])
    out = apply_safety(res)
    assert out["intent"]["name"] == "emergency"
    assert all(r["name"] != "nlu_fallback" for r in out["intent_ranking"])


def test_fallback_whose_best_guess_is_emergency_becomes_emergency() -> None:
    res = _result(
        "aduh gimana ini", "nlu_fallback", 0.45, [("nlu_fallback", 0.45), ("emergency", 0.4), ("greet", 0.3)]
    )
    assert apply_safety(res)["intent"]["name"] == "emergency"


def test_harmless_message_is_untouched() -> None:
    res = _result("cara bikin paspor", "ask_safe_migration", 0.8, [("ask_safe_migration", 0.8)])
    assert apply_safety(res) == res


def test_general_question_read_as_information_stays_information() -> None:
    res = _result(
        "apa hukuman bagi majikan yang menyiksa pekerja?",
        "ask_red_flags",
        0.7,
        [("ask_red_flags", 0.7), ("emergency", 0.2)],
    )
    assert apply_safety(res)["intent"]["name"] == "ask_red_flags"
    # ...but the same words about a real person are an emergency.
    res["text"] = "majikan menyiksa adik saya, apa yang harus saya lakukan?"
    assert apply_safety(res)["intent"]["name"] == "emergency"


def test_says_safe_reads_an_answer_to_are_you_safe_but_not_its_negation() -> None:
    from nlu.safety import says_safe

    assert says_safe("iya aman, saya di kamar. majikan pergi")
    assert says_safe("sy sudah selamat") and says_safe("I'm safe now")
    assert not says_safe("gk aman sy dikunci") and not says_safe("belum aman") and not says_safe("selamat pagi")
    assert not says_safe("I'm not safe")
