"""The embedded engine: Rasa /model/parse shape, fallback, caching, generic training data."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from nlu import embedded
from nlu.base import FALLBACK, INTENTS
from tests.nlu.conftest import NLU_DATA

FOREIGN = """version: "3.1"
nlu:
- intent: play_music
  examples: |
    - putar lagu [dangdut](genre)
    - mainkan musik [jazz](genre)
    - tolong putar lagu kesukaan saya
    - nyalakan musik dong
- intent: weather
  examples: |
    - cuaca besok bagaimana
    - apakah besok hujan
    - ramalan cuaca hari ini
    - tolong cek cuaca di bandung
- intent: set_alarm
  examples: |
    - setel alarm jam lima
    - bangunkan saya jam enam pagi
    - pasang alarm besok pagi
    - tolong pasang alarm
"""


def test_parse_has_rasa_shape(embedded_model: embedded.EmbeddedNLU) -> None:
    text = "sy mau krj ke taiwan gmn caranya"
    res = embedded_model.parse(text)
    assert set(res) == {"text", "intent", "entities", "intent_ranking"}
    assert res["text"] == text
    assert res["intent"]["name"] == "ask_safe_migration"
    assert 0.0 <= res["intent"]["confidence"] <= 1.0
    ranking = res["intent_ranking"]
    assert ranking[0] == res["intent"]
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)
    assert {r["name"] for r in ranking} <= set(INTENTS)
    for ent in res["entities"]:
        assert {"entity", "value", "start", "end", "confidence_entity", "extractor"} <= set(ent)
    assert [(e["entity"], e["value"]) for e in res["entities"]] == [("country", "Taiwan")]
    assert embedded_model.name == "embedded" and embedded_model.ready()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("halo kak", "greet"),
        ("makasih banyak ya", "thanks"),
        ("apa ciri lowongan kerja palsu", "ask_red_flags"),
        ("saya mantan pmi baru pulang, butuh bantuan modal", "request_help"),
        ("adik saya hilang kontak di malaysia, mau lapor", "report_trafficking"),
        ("dinsos terdekat dari cilacap dimana", "find_sentra"),
        ("hapus semua data saya", "delete_data"),
        ("tlg sy dikurung majikan gk blh keluar", "emergency"),
    ],
)
def test_typical_messages(embedded_model: embedded.EmbeddedNLU, text: str, intent: str) -> None:
    assert embedded_model.parse(text)["intent"]["name"] == intent


def test_below_threshold_is_fallback_with_ranking_kept(embedded_model: embedded.EmbeddedNLU) -> None:
    strict = embedded.EmbeddedNLU.__new__(embedded.EmbeddedNLU)
    strict.__setstate__({**embedded_model.__getstate__(), "threshold": 0.999})
    res = strict.parse("kapan kantor buka")
    assert res["intent"] == {"name": FALLBACK, "confidence": 0.999}
    assert res["intent_ranking"][0]["name"] == FALLBACK
    assert len(res["intent_ranking"]) > 1


def test_empty_message_is_fallback(embedded_model: embedded.EmbeddedNLU) -> None:
    assert embedded_model.parse("   ")["intent"]["name"] == FALLBACK


def test_load_or_train_reuses_the_saved_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data.yml"
    data.write_text(FOREIGN)
    model_dir = tmp_path / "model"
    first = embedded.load_or_train(data, model_dir, 0.3)
    assert (model_dir / embedded.MODEL_FILE).is_file()

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("should have loaded the saved model")

    monkeypatch.setattr(embedded.EmbeddedNLU, "train", no_training)
    again = embedded.load_or_train(data, model_dir, 0.3)
    assert again.parse("putar lagu rock")["intent"] == first.parse("putar lagu rock")["intent"]
    monkeypatch.undo()

    data.write_text(FOREIGN + "    - bangunkan aku subuh\n")  # new data: retrain
    monkeypatch.setattr(embedded.EmbeddedNLU, "train", no_training)
    with pytest.raises(AssertionError, match="should have loaded"):
        embedded.load_or_train(data, model_dir, 0.3)


def test_trains_on_any_rasa_data_without_safety_override(tmp_path: Path) -> None:
    data = tmp_path / "foreign.yml"
    data.write_text(FOREIGN)
    model = embedded.train(data, threshold=0.0)
    assert model.labels == ["play_music", "set_alarm", "weather"]
    assert model.parse("tolong putar musik jazz")["intent"]["name"] == "play_music"
    assert model.parse("tolong!!")["intent"]["name"] != "emergency"  # no emergency intent here
    genre = [e["value"] for e in model.parse("putar lagu dangdut")["entities"] if e["entity"] == "genre"]
    assert genre == ["dangdut"]


def test_saved_model_is_loadable(tmp_path: Path, embedded_model: embedded.EmbeddedNLU) -> None:
    embedded_model.save(tmp_path)
    loaded = embedded.EmbeddedNLU.load(tmp_path, threshold=0.45)
    text = "kerja di hongkong potong gaji 7 bulan, aman?"
    assert loaded.parse(text) == embedded_model.parse(text)


def test_training_reads_the_project_data() -> None:
    assert embedded.fingerprint([NLU_DATA]) == embedded.fingerprint([NLU_DATA])


@pytest.mark.parametrize("text", ["مرحبا", "你好", "🙂🙂"])
def test_unknown_script_is_fallback_not_a_guess(embedded_model: embedded.EmbeddedNLU, text: str) -> None:
    assert embedded_model.parse(text)["intent"]["name"] == FALLBACK


@pytest.mark.parametrize(("text", "intent"), [("ok", "affirm"), ("ya", "affirm"), ("no", "deny")])
def test_very_short_replies_are_understood(
    embedded_model: embedded.EmbeddedNLU, text: str, intent: str
) -> None:
    assert embedded_model.parse(text)["intent"]["name"] == intent


def test_long_pasted_offer(embedded_model: embedded.EmbeddedNLU) -> None:
    offer = (
        "DIBUTUHKAN SEGERA admin online penempatan Kamboja, gaji 15jt tanpa pengalaman. "
        "Syarat: usia 18-35, bisa mengetik. Tiket dan mess ditanggung. Hub WA 081234567890. "
    ) * 30
    res = embedded_model.parse(offer)
    assert res["intent"]["name"] == "check_offer"
    assert {e["value"] for e in res["entities"]} == {"Kamboja"}


# Long openings (salam, greetings, a name and a home town) say who writes, not what is wanted.
LONG_OPENINGS = [
    (
        "Assalamualaikum warahmatullahi wabarakatuh. Salam sejahtera untuk kita semua. Saya Dedi dari Cirebon. "
        "Saya mau cari kantor BP3MI yang paling dekat dengan Cirebon.",
        "find_sentra",
    ),
    (
        "Assalamualaikum warahmatullahi wabarakatuh. Selamat siang bapak ibu admin. Perkenalkan saya Pak Darto "
        "dari Wonogiri. Anak saya berangkat ke Malaysia lewat calo dan sudah setahun tidak ada kabar.",
        "report_trafficking",
    ),
    (
        "Assalamualaikum wr wb. Selamat malam kak. Saya Lastri dari Kebumen. Saya sudah pulang dari Hong Kong, "
        "gaji dua bulan terakhir belum dibayar, bagaimana cara menagihnya?",
        "request_help",
    ),
]


@pytest.mark.parametrize(("text", "intent"), LONG_OPENINGS)
def test_a_long_greeting_and_introduction_do_not_decide_the_intent(
    embedded_model: embedded.EmbeddedNLU, text: str, intent: str
) -> None:
    assert embedded_model.parse(text)["intent"]["name"] == intent


def test_a_message_that_only_greets_is_still_a_greeting(embedded_model: embedded.EmbeddedNLU) -> None:
    text = "Assalamualaikum warahmatullahi wabarakatuh. Selamat pagi bapak ibu admin semuanya."
    assert embedded_model.parse(text)["intent"]["name"] == "greet"


# A report or an offer story whose one sentence says someone is in danger now: that sentence wins
# over the calmer reading of the whole, in the classifier itself (without the safety net).
DANGER_IN_ONE_SENTENCE = [
    "Anak saya berangkat lewat sponsor dari desa sebelah tahun lalu, katanya kerja di pabrik. Kami sudah "
    "lapor ke dinas tapi belum ada kabar. Kemarin dia kirim pesan, katanya sekarang disekap di mess dan tidak "
    "boleh keluar.",
    "Saya ditawari kerja di Kamboja lewat Facebook, gajinya 12 juta, tiket dibayari. Sesampainya di sana saya "
    "dipaksa jadi scammer dan dipukul kalau tidak dapat target.",
]


@pytest.mark.parametrize("text", DANGER_IN_ONE_SENTENCE)
def test_one_sentence_in_danger_outweighs_a_calm_whole(embedded_model: embedded.EmbeddedNLU, text: str) -> None:
    classifier = copy.copy(embedded_model)
    classifier.safety = False
    assert classifier.parse(text)["intent"]["name"] == "emergency"


def test_a_short_closing_plea_does_not_turn_a_request_into_an_emergency(
    embedded_model: embedded.EmbeddedNLU,
) -> None:
    text = (
        "Ibu saya meninggal di Malaysia minggu lalu, kami keluarga tidak punya biaya untuk memulangkan "
        "jenazahnya. Tolong bantu kami."
    )
    assert embedded_model.parse(text)["intent"]["name"] == "request_help"


# Thanks for help already given, after the story of what happened: the story is over (no danger now).
GRATITUDE = [
    "Dulu saya ingin pulang tapi ditahan majikan. Terima kasih KBRI sudah bantu saya.",
    "Saking senangnya saya tidak bisa berkata apa-apa. Terima kasih kami kepada KJRI dan polisi setempat yang "
    "telah menolong kami.",
]


@pytest.mark.parametrize("text", GRATITUDE)
def test_thanks_for_help_given_is_thanks(embedded_model: embedded.EmbeddedNLU, text: str) -> None:
    assert embedded_model.parse(text)["intent"]["name"] == "thanks"


def test_thanks_opening_a_plea_leaves_the_plea(embedded_model: embedded.EmbeddedNLU) -> None:
    text = "Terima kasih kak yang sudah membantu selama ini. Saya ingin pulang ke Indonesia, majikan tidak baik."
    assert embedded_model.parse(text)["intent"]["name"] != "thanks"


def test_thanks_does_not_hide_danger_now(embedded_model: embedded.EmbeddedNLU) -> None:
    text = "Terima kasih sudah membantu kami kemarin. Tapi saya masih dikurung majikan, tolong jemput saya."
    assert embedded_model.parse(text)["intent"]["name"] == "emergency"
