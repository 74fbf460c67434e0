"""The content file and clinic profile: the real files load, bad ones are refused."""

import copy
from pathlib import Path

import pytest
import yaml

from actions.catalog import patient_facing
from actions.content import ContentError, load_clinic, load_content, load_contents

ROOT = Path(__file__).resolve().parent.parent
REAL = yaml.safe_load((ROOT / "content" / "medical.yml").read_text())
ARTICLE_TIPS = ["see_doctor", "posture_advice", "integrative_center",
                "personal_recommendations", "check_credentials"]


def write(tmp_path: Path, data: dict, name: str = "medical.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def test_real_content_loads_with_every_article_tip_and_fact():
    content = load_content()
    assert list(content.tips) == ARTICLE_TIPS
    assert {"recovery_time", "massage_benefit", "expert_verdict", "evidence_comparison",
            "insurance_varies", "therapist_variation", "massage_varieties"} <= set(content.facts)
    assert set(content.massage_types) == {"swedish", "deep_tissue", "sports", "trigger_point",
                                          "shiatsu", "myofascial_release"}
    assert content.red_flags["cauda_equina"].urgency == "emergency"


def test_every_item_cites_the_article_date():
    content = load_content()
    assert "March 2015" in content.citation("harvard_2015")
    assert "Harvard Health Publishing" in content.citation("harvard_2015")


def test_content_is_paraphrased_not_copied():
    article = (ROOT.parent / "shared" / "source" / "article.txt")
    if not article.exists():
        pytest.skip("shared/source/article.txt is not beside this checkout")
    words = article.read_text().split()
    # No run of 8 consecutive words from the article appears in the content file,
    # except the article's title where it is cited as a source.
    content_text = " ".join((ROOT / "content" / "medical.yml").read_text().split()).lower()
    content_text = content_text.replace(REAL["sources"][0]["title"].lower(), "")
    runs = {" ".join(words[i:i + 8]).lower() for i in range(len(words) - 8)}
    copied = [run for run in runs if run in content_text]
    assert not copied, copied[:3]


REVIEWER = {"name": "Dr Ada Lovelace", "role": "general practitioner"}


@pytest.mark.parametrize(
    "mutate, key",
    [
        (lambda d: d["tips"][0].pop("text"), "tips[0].text"),
        (lambda d: d["tips"].append(dict(d["tips"][0])), "tips[5].id"),
        (lambda d: d["topics"].update(ask_tips=["no_such_tip"]), "topics.ask_tips"),
        (lambda d: d["facts"][1].update(source="blog"), "facts[1].source"),
        (lambda d: d["red_flags"]["groups"][0].update(urgency="soon"),
         "red_flags.groups[0].urgency"),
        (lambda d: d.pop("disclaimer"), "disclaimer."),
        (lambda d: d["massage_types"][2].update(synonyms=[]), "massage_types[2].synonyms"),
        (lambda d: d.pop("meta"), "meta"),
        (lambda d: d["meta"].update(status="final"), "meta.status"),
        (lambda d: d["meta"].update(last_reviewed="2026-11-26"), "meta.last_reviewed"),
        (lambda d: d["meta"].update(status="approved"), "meta.reviewed_by"),
        (lambda d: d["meta"].update(status="approved", reviewed_by={"name": "Dr A"}),
         "meta.reviewed_by"),
        (lambda d: d["meta"].update(status="approved", reviewed_by=REVIEWER,
                                    reviewed_on="soon", next_review_due="2027-01-01"),
         "meta.reviewed_on"),
        (lambda d: d["meta"].update(status="approved", reviewed_by=REVIEWER,
                                    reviewed_on="2026-01-10", next_review_due="2029-02-01"),
         "meta.next_review_due"),
        # Unknown keys are errors: a misspelt key must not hide reviewed text.
        (lambda d: d.update(warnings=["x"]), "warnings"),
        (lambda d: d["facts"][0].update(txt="typo"), "facts[0].txt"),
        (lambda d: d["tips"][2].update(sauce="harvard_2015"), "tips[2].sauce"),
        (lambda d: d["sources"][0].update(link="https://x"), "sources[0].link"),
        (lambda d: d["sources"][1].update(url="www.nice.org.uk"), "sources[1].url"),
        (lambda d: d["red_flags"]["groups"][1].update(advise="x"), "red_flags.groups[1].advise"),
        (lambda d: d["red_flags"].update(banner="x"), "red_flags.banner"),
        (lambda d: d["credentials"].update(source="x"), "credentials.source"),
        (lambda d: d["massage_types"][0].update(pressure="x"), "massage_types[0].pressure"),
        (lambda d: d["plan"].update(step_six="x"), "plan.step_six"),
        (lambda d: d["plan"].pop("posture"), "plan.posture"),
        (lambda d: d["notices"].pop("web_banner"), "notices.web_banner"),
        (lambda d: d["guide"].update(intro="x"), "guide.intro"),
        # A quote long enough to copy the article is refused.
        (lambda d: d["facts"][0].update(article_says="one two three four five six seven eight"),
         "facts[0].article_says"),
    ],
)
def test_bad_content_names_file_and_key(tmp_path, mutate, key):
    data = yaml.safe_load(yaml.safe_dump(REAL))
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(ContentError) as error:
        load_content(path)
    assert str(path) in str(error.value)
    assert key in str(error.value)


def _article_sentences():
    from actions.catalog import ARTICLE, article_sentences
    if not ARTICLE.exists():
        pytest.skip(f"{ARTICLE} is not beside this checkout")
    return article_sentences(ARTICLE)


def test_every_item_citing_the_article_names_a_sentence_that_is_in_it():
    from actions.catalog import ARTICLE_SOURCE, sentence_for
    sentences = _article_sentences()
    cited = [e for e in patient_facing(load_content()) if e.source == ARTICLE_SOURCE]
    assert len(cited) >= 12
    missing = [e.key for e in cited if not e.article_says]
    assert not missing, f"items citing the article without article_says: {missing}"
    not_found = [(e.key, e.article_says) for e in cited
                 if sentence_for(e.article_says, sentences) is None]
    assert not not_found, f"article_says not in the article: {not_found}"


def test_a_made_up_article_quote_is_not_found():
    from actions.catalog import sentence_for
    sentences = _article_sentences()
    assert sentence_for("check with your insurer", sentences) is None
    assert sentence_for("not right for every back problem", sentences) is None
    assert "acupuncture" in sentence_for("The best studies to date", sentences)


def test_every_source_can_be_followed():
    content = load_content()
    for source_id, source in content.sources.items():
        assert source["title"] and source["publication"] and source["date"], source_id
    for source_id in ("harvard_2015", "nice_ng59", "acp_2017"):
        assert content.sources[source_id]["url"].startswith("https://"), source_id
    assert "https://www.nice.org.uk/guidance/ng59" in content.citation("nice_ng59")


def test_unreadable_yaml_is_refused(tmp_path):
    path = tmp_path / "medical.yml"
    path.write_text("tips: [unclosed")
    with pytest.raises(ContentError, match="not valid YAML"):
        load_content(path)


def test_no_clinic_profile_means_generic_wording_and_911(tmp_path):
    clinic = load_clinic(tmp_path / "absent.yml")
    assert not clinic.configured
    assert clinic.emergency_number == "911"


def test_clinic_profile_is_read(tmp_path):
    path = write(tmp_path, {"name": "Riverside Spine Clinic", "phone": "+44 20 7946 0000",
                            "emergency_number": "999", "hours": "Mon-Fri 8-18"}, "clinic.yml")
    clinic = load_clinic(path)
    assert clinic.configured and clinic.emergency_number == "999"


@pytest.mark.parametrize(
    "profile, key",
    [
        ({"name": "X", "phone": "1", "emergency_number": "call us"}, "emergency_number"),
        ({"name": "X", "emergency_number": "112"}, "phone"),
        ({"name": "X", "phone": "1", "emergency_number": "112", "fax": "2"}, "fax"),
    ],
)
def test_bad_clinic_profile_names_the_key(tmp_path, profile, key):
    path = write(tmp_path, profile, "clinic.yml")
    with pytest.raises(ContentError) as error:
        load_clinic(path)
    assert f"{path}: {key}" in str(error.value)


def test_example_clinic_profile_is_valid():
    assert load_clinic(ROOT / "content" / "clinic.example.yml").configured


@pytest.mark.parametrize("mutate, key", [
    (lambda d: d["tips"][0].pop("text_es"), "tips[0].text_es"),
    (lambda d: d["red_flags"]["groups"][0].update(advice_es="  "), "red_flags.groups[0].advice_es"),
    (lambda d: d["notices"].pop("web_banner_es"), "notices.web_banner_es"),
])
def test_a_missing_or_empty_spanish_translation_is_refused(tmp_path, mutate, key):
    data = copy.deepcopy(REAL)
    mutate(data)
    with pytest.raises(ContentError) as error:
        load_contents(write(tmp_path, data))
    assert key in str(error.value) and "Spanish" in str(error.value)


def test_spanish_content_has_the_same_items_in_spanish():
    english, spanish = load_contents()["en"], load_contents()["es"]
    assert set(english.facts) == set(spanish.facts) and set(english.tips) == set(spanish.tips)
    assert english.red_flags["cauda_equina"].advice != spanish.red_flags["cauda_equina"].advice
    assert "{emergency_number}" in spanish.red_flags["cauda_equina"].advice
    assert spanish.disclaimer.source == english.disclaimer.source
