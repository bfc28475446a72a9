"""The detector: a rule pack compiled into Hyperscan databases, scanned over batches of leaves.

Three databases, all built from the same rules:

* ``main`` (SOM leftmost): every rule that can report on its own, plus the cue words that trigger
  gated rules, scanned once over all leaves of a batch joined by NUL separators;
* ``gated`` (SOM leftmost): rules that need context (a JSON key or a cue word), scanned only over
  keyed leaves and the text around trigger cues — so ``[a-z][-_a-z0-9]{5,19}`` (WeChat ids) costs
  nothing on text that does not talk about WeChat;
* ``prefilter`` (prefilter.py): the same expressions over the raw payload bytes, validating as it
  goes, so that events that certainly hold no PI skip JSON decoding.

Boost and veto words are looked up in Python around actual candidates only (words.py). Spans come
back as character offsets into the leaf text.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from firewall.checksums import get_validator
from firewall.detection import _native
from firewall.detection.backends import (
    Backend,
    ExpressionSpec,
    RawMatch,
    build_backend,
    text_key_before,
    text_key_expressions,
)
from firewall.detection.findings import Finding, Leaf
from firewall.detection.payload import (
    FOLD_TRIGGERS,
    PayloadKind,
    escapes_decoded,
    fold_fullwidth,
    parse_payload,
)
from firewall.detection.prefilter import Prefilter, PrefilterRule
from firewall.detection.refiners import (
    refine_address,
    refine_born_date,
    refine_latin_text_name,
    refine_person_name,
    refine_street_address,
    refine_subject_name,
    refine_whole_leaf,
    stripped_bounds,
)
from firewall.detection.rulepack import Refiner, Rule, RulePack, load_rule_pack
from firewall.detection.words import word_before, word_gap
from firewall.memory import cyclic_gc_paused

_REFINERS = {
    Refiner.PERSON_NAME: refine_person_name,
    Refiner.SUBJECT_NAME: refine_subject_name,
    Refiner.LATIN_TEXT_NAME: refine_latin_text_name,
    Refiner.ADDRESS: refine_address,
    Refiner.WHOLE_LEAF: refine_whole_leaf,
    Refiner.BORN_DATE: refine_born_date,
    Refiner.STREET_ADDRESS: refine_street_address,
}


def normalise_key(key: str) -> str:
    """``receiver_Mobile-No`` → ``receivermobileno``: how rules compare JSON key names."""
    return key.lower().replace("_", "").replace("-", "").replace(" ", "").replace(".", "")


_KEY_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[^\x00-\x7f]+")
# Key terms this short (lat, qq, vin, tel) are inside too many words (calculation, province,
# hotel): they match whole words of a key, or runs of them (latLng, user_qq), never a part of one.
_SHORT_TERM = 3


def key_words(key: str) -> frozenset[str]:
    """The words of a key and runs of up to three of them, lower-cased: ``userQQ_no`` → user, qq,
    no, userqq, qqno, userqqno."""
    words = [word.lower() for word in _KEY_WORD.findall(key)]
    return frozenset(
        "".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 3) + 1)
    )


def _is_short(term: str) -> bool:
    """Whether a key term matches whole words of a key only (see _SHORT_TERM)."""
    return len(term) <= _SHORT_TERM and term.isascii()


def _rules_by_term(terms_of: Sequence[tuple[int, Sequence[str]]]) -> dict[str, list[int]]:
    """term -> the indexes of the rules that list it, from (rule index, terms) pairs."""
    by_term: dict[str, list[int]] = {}
    for index, terms in terms_of:
        for term in terms:
            by_term.setdefault(term, []).append(index)
    return by_term


@dataclass(slots=True)
class _CompiledRule:
    """A rule as the engine reads it for each match. The rule's fields read per candidate are
    copied from the pydantic model, where every attribute read goes through its ``__getattr__``
    hook at several times the cost of a native one."""

    index: int
    rule: Rule
    validate: Callable[[str], bool] | None
    needs_context: bool
    rule_id: str
    entity: str
    sensitive: bool
    confidence: float
    window: int
    boost: float
    refine: Refiner | None
    refine_words: Collection[str]  # what its refiner reads: cue words, or a lexicon's words
    key_terms: tuple[str, ...]
    key_excludes: tuple[str, ...]
    parent_excludes: tuple[str, ...]
    deny_keys: tuple[str, ...]
    cue_ids: frozenset[int] = field(default_factory=frozenset)  # trigger cues (gated rules)
    boost_words: tuple[str, ...] = ()  # cues of the other rules, looked up around a candidate
    deny_words: tuple[str, ...] = ()


class Candidate:
    """A raw match inside one leaf, before context, refinement and overlap resolution.

    A plain class with its own ``__init__``: compiled, that is a native constructor, where a
    dataclass's generated one runs as Python (about 0.03 µs per candidate against 0.25).
    """

    def __init__(
        self,
        compiled: _CompiledRule,
        leaf_index: int,
        start: int,
        end: int,
        confidence: float,
        keyed: bool = False,
        cue_end: int | None = None,
    ) -> None:
        self.compiled = compiled
        self.leaf_index = leaf_index
        self.start = start
        self.end = end
        self.confidence = confidence
        self.keyed = keyed  # the leaf's JSON key speaks for the rule
        self.cue_end = cue_end  # end of the last cue before or inside the match (refiners)


class _Piece:
    """A leaf, the part of one around a trigger cue, or a text where a rule's companion was found,
    for the gated scan (a class with a native constructor, as RawMatch)."""

    def __init__(
        self, leaf: Leaf, leaf_index: int, offset: int, full: int, rules: frozenset[int] | None = None
    ) -> None:
        self.leaf = leaf
        self.leaf_index = leaf_index  # of the whole leaf in the batch
        self.offset = offset  # where the piece starts in the whole leaf's text
        self.full = full  # length of the whole leaf's text
        self.rules = rules  # the rules it is scanned for; None: those of its leaf's key and cues


class _RememberedVerdicts:
    """A validator that remembers its recent verdicts. Over half the calls repeat one: the
    prefilter validates a candidate and the full path that it sends the event down validates the
    same value again, and batches repeat values (one customer's phone in many events)."""

    def __init__(self, validate: Callable[[str], bool], capacity: int = 4096) -> None:
        self._validate = validate
        self._capacity = capacity
        self._verdicts: dict[str, bool] = {}

    def __call__(self, text: str) -> bool:
        verdict = self._verdicts.get(text)
        if verdict is None:
            if len(self._verdicts) >= self._capacity:
                self._verdicts.clear()  # bounded memory: it holds PI, and old values rarely recur
            verdict = self._verdicts[text] = self._validate(text)
        return verdict


class Scanned(NamedTuple):
    """One payload after decoding and detection."""

    kind: PayloadKind
    document: Any  # the decoded JSON value or text; None when never decoded
    findings: list[Finding]


class StageTimes:
    """CPU seconds per detection stage, summed while attached to a detector (loadtest.stages).

    The detector's modules are compiled (setup.py), so stages are timed from inside, not by
    wrapping methods from outside.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.process_time()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.process_time() - started


_UNTIMED = nullcontext()


class _KeyRules(NamedTuple):
    matched: frozenset[int]
    gated: frozenset[int]
    denied: frozenset[int]


class Detector:
    """Finds PI in payloads. One instance per worker; not thread-safe (one Hyperscan scratch)."""

    def __init__(self, pack: RulePack, backend: str = "hyperscan", cache_dir: Path | None = None):
        self.pack = pack
        self.backend_name = backend
        self._rules: list[_CompiledRule] = []
        trigger_cues: dict[str, int] = {}
        validators: dict[str, _RememberedVerdicts] = {}  # one per validator, its rules share it
        for index, rule in enumerate(pack.rules):
            if rule.validator and rule.validator not in validators:
                validators[rule.validator] = _RememberedVerdicts(get_validator(rule.validator))
            needs_context = rule.context.required or rule.confidence < pack.min_confidence
            # Only the cues that decide whether a gated rule runs at all go into Hyperscan; the
            # others (boost, veto) are looked up in the few characters around a candidate, so
            # that common words such as "sku" or "version" cost nothing on the other events.
            cue_ids = (
                frozenset(
                    trigger_cues.setdefault(word.lower(), len(trigger_cues))
                    for word in rule.context.keywords + rule.context.companion_keywords
                )
                | ({_key_cue(index)} if rule.context.keys else set())
                | ({_text_cue(index)} if rule.context.in_companion_texts else set())
                if needs_context
                else frozenset()
            )
            self._rules.append(
                _CompiledRule(
                    index=index,
                    rule=rule,
                    validate=validators[rule.validator] if rule.validator else None,
                    needs_context=needs_context,
                    rule_id=rule.id,
                    entity=rule.entity,
                    sensitive=rule.sensitive,
                    confidence=rule.confidence,
                    window=rule.context.window,
                    boost=rule.context.boost,
                    refine=rule.refine,
                    # the words of the lexicon the rule names for its refiner, as a set once; or
                    # its cue words: a companion cue counts only where its companion was found, but
                    # the refiner needs its place (王芳的手机号 ends a name)
                    refine_words=frozenset(rule.refine_words)
                    if rule.refine_words
                    else rule.context.keywords + rule.context.companion_keywords,
                    key_terms=tuple(normalise_key(k) for k in rule.context.keys),
                    key_excludes=tuple(normalise_key(k) for k in rule.context.key_excludes),
                    parent_excludes=tuple(normalise_key(k) for k in rule.context.parent_excludes),
                    deny_keys=tuple(normalise_key(k) for k in rule.context.deny_keys),
                    cue_ids=cue_ids,
                    boost_words=() if needs_context else tuple(w.lower() for w in rule.context.keywords),
                    deny_words=tuple(w.lower() for w in rule.context.deny_keywords),
                )
            )
        self._cue_words = list(trigger_cues)
        companions = _companion_cues(self._rules, trigger_cues)
        main_specs: list[ExpressionSpec] = []
        gated_specs: list[ExpressionSpec] = []
        for compiled in self._rules:
            target = gated_specs if compiled.needs_context else main_specs
            for expression in compiled.rule.expressions:
                target.append(
                    ExpressionSpec(
                        compiled.index,
                        f"{compiled.rule.id} ({compiled.rule.source})"
                        if compiled.rule.source
                        else compiled.rule.id,
                        expression,
                        compiled.rule.boundary,
                        compiled.rule.caseless,
                        compiled.rule.recover_start,
                        compiled.rule.validator,
                    )
                )
        cache = cache_dir or _default_cache_dir()
        self._main: Backend = build_backend(backend, main_specs, self._cue_words, cache)
        # Keys written in text (name=张伟 in a query string, <name>张伟</name>) that speak for a
        # gated rule count as that rule's cue, as a JSON key does for its value. In a database
        # of their own: in the main one they slowed the scan of every byte by ~25%, and they
        # matter only in the leaves of events that take the full path.
        text_key_terms = sorted(
            {t for r in self._rules if r.needs_context for t in r.key_terms if t.isascii()}
        )
        self._text_keys: Backend | None = (
            build_backend(backend, [], [], cache, text_key_expressions(text_key_terms))
            if text_key_terms
            else None
        )
        # One database per gated rule: a piece is scanned only for the rules its key or cue words
        # speak for, since any other gated rule's match there is dropped for want of context.
        by_rule: dict[int, list[ExpressionSpec]] = {}
        for spec in gated_specs:
            by_rule.setdefault(spec.rule, []).append(spec)
        self._gated = {rule: build_backend(backend, specs, [], cache) for rule, specs in by_rule.items()}
        self._prefilter = Prefilter(
            [
                PrefilterRule(
                    spec,
                    self._rules[spec.rule].validate,
                    self._rules[spec.rule].deny_words,
                    self._rules[spec.rule].window,
                )
                for spec in main_specs
            ],
            # Only the gated rules' trigger cues are compiled at all, and companion-only cues not
            # here: an event whose text holds a companion entity takes the full path for it.
            [word for word, cue_id in trigger_cues.items() if cue_id not in companions],
            FOLD_TRIGGERS,  # folded to ASCII by the full path, which has to see it
            sorted({term for r in self._rules if r.needs_context for term in r.key_terms}),
            lambda key, parent: bool(self._rules_for_key(key, parent).gated),
            lambda key: any(self._rules[i].parent_excludes for i in self._rules_for_key(key, None).gated),
            cache,
        )
        self._key_cache: dict[tuple[str | None, str | None], _KeyRules] = {}
        # Each distinct term is tested once per unseen key, not once per rule that names it: a
        # key never seen before (maps keyed by ids have many) costs a few microseconds.
        self._word_terms = _rules_by_term(
            [(r.index, [t for t in r.key_terms if _is_short(t)]) for r in self._rules]
        )
        self._fragment_terms = _rules_by_term(
            [(r.index, [t for t in r.key_terms if not _is_short(t)]) for r in self._rules]
        )
        self._deny_terms = _rules_by_term([(r.index, r.deny_keys) for r in self._rules])
        # How far around each trigger cue a gated entity may lie: the largest window among the
        # rules it triggers, plus the longest value they take (a name is short, a permit longer).
        # And which gated rules each cue triggers: the rules a cue window is scanned for.
        reach: dict[int, int] = {}
        triggered: dict[int, set[int]] = {}
        for r in self._rules:
            for cue_id in r.cue_ids:
                reach[cue_id] = max(reach.get(cue_id, 0), r.window + r.rule.context.value_length)
                triggered.setdefault(cue_id, set()).add(r.index)
        self._cue_reach = reach
        self._companions = companions
        # Rules whose context is any text where one of their companions was found: rule ->
        # those entities.
        self._text_companions = {
            r.index: frozenset(r.rule.context.companions)
            for r in self._rules
            if r.needs_context and r.rule.context.in_companion_texts
        }
        self._rules_of_cue = {cue_id: frozenset(rules) for cue_id, rules in triggered.items()}
        self._gated_rules = frozenset(r.index for r in self._rules if r.needs_context)
        self.stage_times: StageTimes | None = None  # attach one to time each stage

    @classmethod
    def from_path(cls, path: Path, backend: str = "hyperscan") -> Detector:
        return cls(load_rule_pack(path), backend=backend)

    # ---------------------------------------------------------------- public API

    def scan_payloads(self, payloads: Sequence[bytes]) -> list[list[Finding]]:
        """Findings per payload (JSON-aware; non-JSON text is one leaf at ``$``)."""
        return [scanned.findings for scanned in self.scan_parsed(payloads)]

    def scan_parsed(self, payloads: Sequence[bytes], max_bytes: int | None = None) -> list[Scanned]:
        """Decode and scan payloads; each result keeps the decoded document for redaction.

        Payloads the prefilter clears are not even decoded (document None); payloads over
        ``max_bytes`` are not scanned at all (the caller quarantines them).
        """
        with cyclic_gc_paused():
            return self._scan_parsed(payloads, max_bytes)

    def _scan_parsed(self, payloads: Sequence[bytes], max_bytes: int | None) -> list[Scanned]:
        full_path = self._full_path_needed(payloads, max_bytes)
        kinds: list[tuple[PayloadKind, Any]] = []
        documents: list[list[Leaf]] = []
        with self._stage("orjson decode + walk"):
            for payload, needed in zip(payloads, full_path, strict=True):
                if not needed:
                    kinds.append((PayloadKind.JSON, None))
                    documents.append([])
                    continue
                parsed = parse_payload(payload)
                kinds.append((parsed.kind, parsed.document))
                documents.append(parsed.leaves)
        findings = self.scan_documents(documents)
        return [Scanned(kind, doc, found) for (kind, doc), found in zip(kinds, findings, strict=True)]

    def scan_leaves(self, leaves: Sequence[Leaf]) -> list[Finding]:
        return self.scan_documents([leaves])[0]

    def scan_documents(self, documents: Sequence[Sequence[Leaf]]) -> list[list[Finding]]:
        """Findings per document, each document a list of leaves; one engine call per database."""
        leaves: list[Leaf] = []
        owner: list[int] = []
        # leaves scanned with their escapes decoded: where each decoded character is in the leaf
        decoded_at: dict[int, list[int]] = {}
        for doc_index, document in enumerate(documents):
            for leaf in document:
                text = leaf.text
                if ("%" in text or "\\" in text) and (decoded := escapes_decoded(leaf)) is not None:
                    leaf, decoded_at[len(leaves)] = decoded
                leaves.append(fold_fullwidth(leaf))  # one character for one: the positions hold
            owner.extend([doc_index] * len(document))
        results: list[list[Finding]] = [[] for _ in documents]
        if not leaves:
            return results
        with self._stage("main database + hit mapping"):
            matches, cues = self._main.scan(leaves)
        if self._text_keys is not None:
            with self._stage("text keys"):
                self._add_text_keys(leaves, self._text_keys.scan(leaves)[1], cues)
        key_rules = [self._rules_for_key(leaf.key, leaf.parent) for leaf in leaves]
        with self._stage("validators and context"):
            candidates = self._candidates(leaves, matches, cues, key_rules)
            if self._companions and cues:
                cues = self._cues_with_companions(cues, candidates)
        with self._stage("gated pieces (keys, cue windows)"):
            pieces = self._gated_pieces(leaves, cues, key_rules)
        if pieces:
            with self._stage("gated database + hit mapping"):
                gated_matches = self._scan_gated(pieces, cues, key_rules)
            remapped = []
            for m in gated_matches:
                piece = pieces[m.leaf]
                cut_left = m.start == 0 and piece.offset > 0
                cut_right = m.end == len(piece.leaf.text) and piece.offset + m.end < piece.full
                if not (cut_left or cut_right):  # a value cut by the window is not a value
                    remapped.append(
                        RawMatch(m.rule, piece.leaf_index, m.start + piece.offset, m.end + piece.offset)
                    )
            with self._stage("validators and context"):
                candidates.extend(self._candidates(leaves, remapped, cues, key_rules))
        held: dict[int, list[Candidate]] | None = {} if self._text_companions else None
        with self._stage("refiners and overlaps"):
            resolved = self._resolve(leaves, candidates, decoded_at, held)
        if held:
            with self._stage("texts holding companions"):
                resolved = self._with_text_companion_rules(
                    leaves, resolved, held, cues, key_rules, decoded_at
                )
        for finding_leaf, finding in sorted(resolved, key=lambda pair: (pair[0], pair[1].start)):
            results[owner[finding_leaf]].append(finding)
        return results

    def has_candidates(self, payload: bytes) -> bool:
        """Cheap check over raw bytes: False means the payload certainly has no finding."""
        return self._full_path_needed([payload], None)[0]

    def _full_path_needed(self, payloads: Sequence[bytes], max_bytes: int | None) -> list[bool]:
        """Per payload, whether it needs decoding and the full scan (oversize ones never get it).

        The prefilter clears most payloads outright; for some it names the leaves a key or cue word
        gates, and those leaves of the whole batch are scanned in one call.
        """
        if self.backend_name != "hyperscan":  # the re baseline scans everything
            return [max_bytes is None or len(payload) <= max_bytes for payload in payloads]
        check = self._prefilter.check
        with self._stage("prefilter over raw bytes"):
            verdicts = [
                False if max_bytes is not None and len(payload) > max_bytes else check(payload)
                for payload in payloads
            ]
        gated = [(index, leaves) for index, leaves in enumerate(verdicts) if isinstance(leaves, list)]
        if gated:
            found = self.scan_documents([leaves for _, leaves in gated])
            for (index, _), findings in zip(gated, found, strict=True):
                verdicts[index] = bool(findings)
        return [verdict is True for verdict in verdicts]

    def raw_scan_bytes(self, buffer: bytes) -> int:
        """Scan raw bytes with the main database; the number of matches (the scan ceiling)."""
        return self._main.count(buffer)

    # ---------------------------------------------------------------- internals

    def _stage(self, name: str) -> AbstractContextManager[None]:
        return _UNTIMED if self.stage_times is None else self.stage_times.stage(name)

    def _rules_for_key(self, key: str | None, parent: str | None) -> _KeyRules:
        """Which rules a JSON key speaks for, which of them are gated, which it vetoes.

        A rule's key excludes veto the key itself, its parent excludes the enclosing object's key.
        """
        cached = self._key_cache.get((key, parent))
        if cached is None:
            matched: frozenset[int] = frozenset()
            denied: frozenset[int] = frozenset()
            if key:
                normal = normalise_key(key)
                outer = normalise_key(parent) if parent else ""
                named = {i for word in key_words(key) for i in self._word_terms.get(word, ())}
                named.update(
                    i for term, rules in self._fragment_terms.items() if term in normal for i in rules
                )
                matched = frozenset(
                    i
                    for i in named
                    if not any(x in normal for x in self._rules[i].key_excludes)
                    and not any(x in outer for x in self._rules[i].parent_excludes)
                )
                denied = (
                    frozenset(i for term, rules in self._deny_terms.items() if term in normal for i in rules)
                    - matched
                )
            cached = _KeyRules(matched, matched & self._gated_rules, denied)
            if len(self._key_cache) > 100_000:
                self._key_cache.clear()
            self._key_cache[(key, parent)] = cached
        return cached

    def _gated_pieces(
        self,
        leaves: Sequence[Leaf],
        cues: dict[int, list[tuple[int, int, int]]],
        key_rules: list[_KeyRules],
    ) -> list[_Piece]:
        """What the gated database scans: keyed leaves whole, elsewhere only the text around
        each trigger cue (a WeChat-id pattern matches every word of a long ticket otherwise)."""
        pieces: list[_Piece] = []
        reach = self._cue_reach
        for index, leaf in enumerate(leaves):
            text = leaf.text
            if key_rules[index].gated:
                pieces.append(_Piece(leaf, index, 0, len(text)))
                continue
            leaf_cues = cues.get(index)
            if not leaf_cues:
                continue
            spans: list[tuple[int, int]] = []
            for cue_id, cue_start, cue_end in sorted(leaf_cues, key=lambda c: c[1]):
                lo, hi = max(0, cue_start - reach[cue_id]), min(len(text), cue_end + reach[cue_id])
                if spans and lo <= spans[-1][1]:
                    spans[-1] = (spans[-1][0], max(hi, spans[-1][1]))
                else:
                    spans.append((lo, hi))
            for lo, hi in spans:
                piece = (
                    leaf
                    if (lo, hi) == (0, len(text))
                    else Leaf(leaf.path, leaf.key, text[lo:hi], leaf.parent)
                )
                pieces.append(_Piece(piece, index, lo, len(text)))
        return pieces

    def _scan_gated(
        self,
        pieces: Sequence[_Piece],
        cues: dict[int, list[tuple[int, int, int]]],
        key_rules: list[_KeyRules],
    ) -> list[RawMatch]:
        """Gated matches in pieces (``leaf`` = the piece's index), each piece scanned for the rules
        that can pass ``_candidates`` there: those its leaf's key names and those of the trigger
        cues in its leaf. One call per rule for the whole batch."""
        wanted: dict[int, list[int]] = {}
        rules_of_cue = self._rules_of_cue
        for index, piece in enumerate(pieces):
            rules = piece.rules
            if rules is None:
                rules = key_rules[piece.leaf_index].gated
                for cue_id, _start, _end in cues.get(piece.leaf_index, ()):
                    rules = rules | rules_of_cue.get(cue_id, frozenset())
            for rule in rules:
                wanted.setdefault(rule, []).append(index)
        matches: list[RawMatch] = []
        for rule, indices in wanted.items():  # every rule has an expression, so a database
            found, _ = self._gated[rule].scan([pieces[i].leaf for i in indices])
            for match in found:
                match.leaf = indices[match.leaf]
                matches.append(match)
        return matches

    def _add_text_keys(
        self,
        leaves: Sequence[Leaf],
        key_hits: dict[int, list[tuple[int, int, int]]],
        cues: dict[int, list[tuple[int, int, int]]],
    ) -> None:
        """Each key written in text becomes a cue of every gated rule it speaks for, from the key's
        start to its separator's end."""
        for leaf, hits in key_hits.items():
            # a key holding terms of two expressions is found by both: once is enough
            for end in {end for _, _, end in hits}:
                start, key = text_key_before(leaves[leaf].text, end)
                for rule in self._rules_for_key(key, None).gated:
                    cues.setdefault(leaf, []).append((_key_cue(rule), start, end))

    def _cues_with_companions(
        self, cues: dict[int, list[tuple[int, int, int]]], candidates: Sequence[Candidate]
    ) -> dict[int, list[tuple[int, int, int]]]:
        """The cue hits that count: a companion-only cue word's only in a leaf that holds a
        candidate of one of its companion entities (the rules that report alone found them)."""
        companions = self._companions
        if not any(hit[0] in companions for hits in cues.values() for hit in hits):
            return cues  # no companion cue word in the batch: nothing to filter
        entities: dict[int, set[str]] = {}
        for candidate in candidates:
            entities.setdefault(candidate.leaf_index, set()).add(candidate.compiled.entity)
        counted: dict[int, list[tuple[int, int, int]]] = {}
        for leaf, hits in cues.items():
            present = entities.get(leaf, set())
            kept = [
                hit for hit in hits if hit[0] not in companions or not companions[hit[0]].isdisjoint(present)
            ]
            if kept:
                counted[leaf] = kept
        return counted

    def _with_text_companion_rules(
        self,
        leaves: Sequence[Leaf],
        resolved: list[tuple[int, Finding]],
        held: dict[int, list[Candidate]],
        cues: dict[int, list[tuple[int, int, int]]],
        key_rules: list[_KeyRules],
        decoded_at: dict[int, list[int]],
    ) -> list[tuple[int, Finding]]:
        """The rules whose context is a text holding a finding of one of their companions (``held``:
        what was taken in each leaf; a value that is the whole text does not count): each such
        text is scanned whole for them, and what they find where nothing was taken is added."""
        pieces: list[_Piece] = []
        for leaf_index, taken in held.items():
            text = leaves[leaf_index].text
            if text.isascii():
                continue
            lo, hi = stripped_bounds(text)
            present = {c.compiled.entity for c in taken if c.start > lo or c.end < hi}
            if not present:
                continue
            rules = frozenset(
                rule for rule, wanted in self._text_companions.items() if not wanted.isdisjoint(present)
            )
            if rules:
                # the whole text as each rule's cue, so that its matches pass ``_candidates``
                cues.setdefault(leaf_index, []).extend((_text_cue(rule), 0, len(text)) for rule in rules)
                pieces.append(_Piece(leaves[leaf_index], leaf_index, 0, len(text), rules))
        if not pieces:
            return resolved
        found = [
            RawMatch(m.rule, pieces[m.leaf].leaf_index, m.start, m.end)
            for m in self._scan_gated(pieces, cues, key_rules)
        ]
        by_leaf: dict[int, list[Candidate]] = {}
        for candidate in self._candidates(leaves, found, cues, key_rules):
            by_leaf.setdefault(candidate.leaf_index, []).append(candidate)
        for leaf_index, group in by_leaf.items():
            # added where nothing was taken: what a finding covers stays (a name after 收货人：
            # opens a clause too)
            leaf, taken = leaves[leaf_index], held[leaf_index]
            new = [
                c
                for c in _taken(_refine(leaf, group))
                if all(c.end <= t.start or c.start >= t.end for t in taken)
            ]
            resolved.extend(_findings(leaf_index, leaf, new, decoded_at.get(leaf_index)))
        return resolved

    def _candidates(
        self,
        leaves: Sequence[Leaf],
        matches: Sequence[RawMatch],
        cues: dict[int, list[tuple[int, int, int]]],
        key_rules: list[_KeyRules],
    ) -> list[Candidate]:
        out: list[Candidate] = []
        threshold = self.pack.min_confidence
        for match in matches:
            compiled = self._rules[match.rule]
            leaf_keys = key_rules[match.leaf]
            if compiled.index in leaf_keys.denied:
                continue
            text = leaves[match.leaf].text
            if compiled.validate is not None and not compiled.validate(text[match.start : match.end]):
                continue
            leaf_cues = cues.get(match.leaf, ())
            window = compiled.window
            if compiled.deny_words and word_before(text, compiled.deny_words, match.start, window):
                continue
            keyed = compiled.index in leaf_keys.matched
            if keyed:
                gap: int | None = 0
            elif compiled.boost_words:
                gap = word_gap(text, compiled.boost_words, match.start, match.end, window)
            else:
                gap = _cue_gap(text, leaf_cues, compiled.cue_ids, match.start, match.end, window)
            cue_end = None
            if compiled.refine is not None and not keyed:
                # A cue inside the match (客户艾合买提·托合提 matched from 户) counts too: the
                # refiner starts the entity after it.
                cue_end = _last_cue_end(leaf_cues, compiled.cue_ids, match.start, match.end, window)
            if compiled.needs_context and gap is None and cue_end is None:
                continue
            if compiled.needs_context and not keyed and _is_text_key(text, match.start, match.end):
                continue  # contact_name= beside a cue word is the next key, not an id
            cued = gap is not None or cue_end is not None
            confidence = min(1.0, compiled.confidence + (compiled.boost if cued else 0.0))
            if confidence < threshold:
                continue
            out.append(Candidate(compiled, match.leaf, match.start, match.end, confidence, keyed, cue_end))
        return out

    def _resolve(
        self,
        leaves: Sequence[Leaf],
        candidates: list[Candidate],
        decoded_at: dict[int, list[int]],
        held: dict[int, list[Candidate]] | None = None,
    ) -> list[tuple[int, Finding]]:
        """The findings: spans refined, overlaps resolved, offsets into the text at the leaf's path
        (a decoded leaf's mapped back to the escapes they were written as). ``held`` collects the
        candidates taken in each leaf."""
        by_leaf: dict[int, list[Candidate]] = {}
        for candidate in candidates:
            by_leaf.setdefault(candidate.leaf_index, []).append(candidate)
        resolved: list[tuple[int, Finding]] = []
        for leaf_index, group in by_leaf.items():
            leaf = leaves[leaf_index]
            taken = _taken(_refine(leaf, group))
            if held is not None:
                held[leaf_index] = taken
            resolved.extend(_findings(leaf_index, leaf, taken, decoded_at.get(leaf_index)))
        return resolved


def _taken(group: list[Candidate]) -> list[Candidate]:
    """Of overlapping candidates, the one with the highest confidence; then the longer span; then
    the earlier rule. In order of start."""
    group.sort(key=lambda c: (-c.confidence, -(c.end - c.start), c.compiled.rule_id))
    taken: list[Candidate] = []
    for candidate in group:
        if all(candidate.end <= t.start or candidate.start >= t.end for t in taken):
            taken.append(candidate)
    taken.sort(key=lambda c: c.start)
    return taken


def _findings(
    leaf_index: int, leaf: Leaf, taken: Sequence[Candidate], written_at: list[int] | None
) -> list[tuple[int, Finding]]:
    """The findings of the candidates taken in a leaf, at offsets into the text as written."""
    found = []
    for c in taken:
        start, end = c.start, c.end
        if written_at is not None:
            start, end = written_at[start], written_at[end]
        found.append(
            (
                leaf_index,
                Finding(
                    entity=c.compiled.entity,
                    rule_id=c.compiled.rule_id,
                    path=leaf.path,
                    start=start + leaf.offset,
                    end=end + leaf.offset,
                    confidence=round(c.confidence, 3),
                    sensitive=c.compiled.sensitive,
                ),
            )
        )
    return found


def _is_text_key(text: str, start: int, end: int) -> bool:
    """An ASCII token written as a key in text: right before ``=``, ``:`` or ``：``."""
    return text.startswith(("=", ":", "\uff1a"), end) and text[start].isascii()


_VALUE_OPENERS = " \t\"'[("  # what may stand between a key written in text and its value


def _key_cue(rule: int) -> int:
    """The cue id a text key gives one rule (negative: apart from the cue words' ids)."""
    return -1 - rule


_TEXT_CUES = -(1 << 20)  # text cue ids from here down, below every text key's


def _text_cue(rule: int) -> int:
    """The cue id of a whole text where one of a rule's companions was found."""
    return _TEXT_CUES - rule


def _companion_cues(
    rules: Sequence[_CompiledRule], trigger_cues: dict[str, int]
) -> dict[int, frozenset[str]]:
    """Companion-only cue id -> the entities one of which its text must hold for it to count. A
    word that is also a plain cue word of a gated rule counts on its own anyway."""
    plain = {word.lower() for r in rules if r.needs_context for word in r.rule.context.keywords}
    companions: dict[int, set[str]] = {}
    for r in rules:
        if r.needs_context:
            for word in r.rule.context.companion_keywords:
                if word.lower() not in plain:
                    companions.setdefault(trigger_cues[word.lower()], set()).update(r.rule.context.companions)
    return {cue_id: frozenset(entities) for cue_id, entities in companions.items()}


def _refine(leaf: Leaf, group: list[Candidate]) -> list[Candidate]:
    """Candidates of rules with a refiner become the spans their refiner makes of them."""
    plain = [c for c in group if c.compiled.refine is None]
    by_rule: dict[int, list[Candidate]] = {}
    for c in group:
        if c.compiled.refine is not None:
            by_rule.setdefault(c.compiled.index, []).append(c)
    for rule_candidates in by_rule.values():
        compiled = rule_candidates[0].compiled
        assert compiled.refine is not None
        best = max(rule_candidates, key=lambda c: c.confidence)
        keyed = any(c.keyed for c in rule_candidates)
        spans = _REFINERS[compiled.refine](leaf.text, rule_candidates, keyed, compiled.refine_words)
        plain.extend(Candidate(compiled, best.leaf_index, s, e, best.confidence, keyed) for s, e in spans)
    return plain


def _last_cue_end(
    leaf_cues: Sequence[tuple[int, int, int]],
    cue_ids: frozenset[int],
    start: int,
    end: int,
    window: int,
) -> int | None:
    ends = [
        cue_end for cue_id, _s, cue_end in leaf_cues if cue_id in cue_ids and start - window <= cue_end < end
    ]
    return max(ends) if ends else None


def _cue_gap(
    text: str,
    leaf_cues: Sequence[tuple[int, int, int]],
    cue_ids: frozenset[int],
    start: int,
    end: int,
    window: int,
) -> int | None:
    """Characters between the match and the nearest cue within ``window``; None when none is.
    A key written in text counts only for the value right after it (mac=… sku=100220754279)."""
    best: int | None = None
    for cue_id, cue_start, cue_end in leaf_cues:
        if cue_id not in cue_ids:
            continue
        if cue_id <= _TEXT_CUES:  # the whole text is the context
            return 0
        if cue_id < 0:
            if cue_end <= start and not text[cue_end:start].strip(_VALUE_OPENERS):
                return 0
            continue
        if start - window <= cue_end <= start:
            gap = start - cue_end
        elif end <= cue_start <= end + window:
            gap = window + cue_start - end  # a cue after the match counts, but never as "close"
        else:
            continue
        best = gap if best is None else min(best, gap)
    return best


def _default_cache_dir() -> Path:
    base = os.environ.get("PII_FIREWALL_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "pii-firewall" if base else Path.home() / ".cache" / "pii-firewall"


def pack_digest(pack: RulePack) -> str:
    """A short digest of the compiled content of a pack (for caches and the audit trail)."""
    body = "\n".join(
        f"{r.id}\x1f{r.boundary}\x1f{r.caseless}\x1f" + "\x1e".join(r.expressions) for r in pack.rules
    )
    return hashlib.sha256((_native.version() + body).encode()).hexdigest()[:16]


__all__ = ["Candidate", "Detector", "Scanned", "StageTimes", "normalise_key", "pack_digest"]
