"""The UI-free card-reading service: reader events in, "form data" (what the registration form binds to) out.

`prepare` runs on the thread that produced an event (checking the record and its validity) and `apply` on the GUI
thread; the state it keeps holds either a complete card or an error, never a part of a card. A photo that the vendor's
library must decode is decoded after the text fields are shown (`decode_photo`, off the GUI thread): the form data
first carries `photo_pending` and the placeholder 正在解码照片, then a PhotoDecoded event puts the photo in. A card's
text record that comes ahead of its photo (TextRead) gives a `preview`, never the state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from efangtong_core.idcard import IdCardRecord
from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import (
    CardInserted,
    CardRead,
    CardReadError,
    CardRemoved,
    ErrorKind,
    ReaderAttached,
    ReaderDetached,
    ReaderEvent,
    ReadFailed,
    RecordRead,
    TextRead,
    parse_text,
)
from efangtong_desktop.cardreader.manual import ManualEntry, manual_card
from efangtong_desktop.cardreader.photo import Photo, WltDecoder, card_photo


@dataclass(frozen=True)
class CardFormData:
    """A read card as the registration form shows it: display strings plus the record itself."""

    card_type: str
    name: str
    sex: str
    nation: str
    birth_date: date
    id_number: str
    address: str
    issuing_authority: str
    validity: str
    english_name: str
    nationality: str
    pass_number: str
    source: str
    photo: bytes | None
    photo_note: str | None
    record: IdCardRecord
    photo_wlt: bytes | None = field(default=None, repr=False)
    """The raw photo while it waits for the decoder (photo_pending)."""

    @property
    def photo_pending(self) -> bool:
        """True while the photo is still to be decoded (the text fields are complete)."""
        return self.photo_wlt is not None

    def display_fields(self) -> dict[str, str]:
        """The text fields by key (see texts.FIELD_LABELS), dates as YYYY-MM-DD."""
        return {
            "card_type": self.card_type,
            "name": self.name,
            "sex": self.sex,
            "nation": self.nation,
            "birth_date": self.birth_date.isoformat(),
            "id_number": self.id_number,
            "address": self.address,
            "issuing_authority": self.issuing_authority,
            "validity": self.validity,
            "english_name": self.english_name,
            "nationality": self.nationality,
            "pass_number": self.pass_number,
            "source": self.source,
        }


@dataclass(frozen=True)
class FormReady:
    """A card read and checked, ready for the form (what `prepare` turns a RecordRead into)."""

    reader: str
    data: CardFormData


@dataclass(frozen=True)
class PhotoDecoded:
    """The photo of form data shown before, decoded (or the reason it cannot be shown)."""

    data: CardFormData


@dataclass(frozen=True)
class CardFormState:
    """What the card panel shows: the card or an error, a status line, whether a read is under way, the readers."""

    data: CardFormData | None = None
    error: str | None = None
    status: str = texts.PANEL_WAITING
    busy: bool = False
    readers: tuple[str, ...] = field(default_factory=tuple)


def validity_text(record: IdCardRecord) -> str:
    """有效期限 as printed on the card: 2015.03.10-2035.03.10 or 2015.03.10-长期."""
    end = texts.LONG_TERM if record.valid_to is None else _dotted(record.valid_to)
    return f"{_dotted(record.valid_from)}-{end}"


def _dotted(day: date) -> str:
    """2015.03.10 (what strftime's %Y.%m.%d gives, without its slow locale-aware path)."""
    return f"{day.year}.{day.month:02d}.{day.day:02d}"


def check_valid(record: IdCardRecord, today: date) -> None:
    """Raise CardReadError(EXPIRED) for a card no longer valid on `today`."""
    if record.is_expired(today):
        assert record.valid_to is not None
        raise CardReadError(ErrorKind.EXPIRED, texts.EXPIRED.format(valid_to=f"{record.valid_to:%Y年%m月%d日}"))


def form_data(card: CardRead, *, decoder: WltDecoder | None, today: date, photo_later: bool = False) -> CardFormData:
    """Build the form data of a complete read; an expired card raises CardReadError and gives nothing.

    With `photo_later`, a photo the decoder must decode is left pending (see `decoded_photo`).
    """
    record = card.record
    check_valid(record, today)
    pending = photo_later and decoder is not None and card.photo_image is None and card.photo_wlt is not None
    photo = Photo(None, texts.PHOTO_DECODING) if pending else card_photo(card, decoder)
    return CardFormData(
        card_type=record.card_type.label,
        name=record.name,
        sex=record.sex.label,
        nation=record.nation or "",
        birth_date=record.birth_date,
        id_number=record.id_number,
        address=record.address or "",
        issuing_authority=record.issuing_authority or "",
        validity=validity_text(record),
        english_name=record.english_name or "",
        nationality=record.nationality or "",
        pass_number=record.pass_number or "",
        source=card.reader,
        photo=photo.image,
        photo_note=photo.note,
        record=record,
        photo_wlt=card.photo_wlt if pending else None,
    )


def decoded_photo(data: CardFormData, decoder: WltDecoder | None) -> CardFormData:
    """`data` with its pending photo decoded (or the placeholder saying why not)."""
    if data.photo_wlt is None:
        return data
    photo = decoder.decode(data.photo_wlt) if decoder is not None else Photo(None, texts.PHOTO_PLACEHOLDER)
    return replace(data, photo=photo.image, photo_note=photo.note, photo_wlt=None)


PreparedEvent = ReaderEvent | FormReady | PhotoDecoded


class CardReadingService:
    """Keeps the card panel's state from reader events; knows nothing of Qt."""

    def __init__(self, *, decoder: WltDecoder | None = None, today: Callable[[], date] = date.today) -> None:
        self.decoder = decoder
        self.today = today
        self.state = CardFormState()

    def prepare(self, event: ReaderEvent) -> PreparedEvent:
        """Turn a RecordRead into FormReady (or ReadFailed for an expired card); other events pass through.

        The photo of the FormReady may be pending: `decode_photo` then gives the PhotoDecoded to apply after it.
        """
        if not isinstance(event, RecordRead):
            return event
        try:
            data = form_data(event.card, decoder=self.decoder, today=self.today(), photo_later=True)
            return FormReady(event.reader, data)
        except CardReadError as error:
            return ReadFailed(event.reader, error)

    def preview(self, event: TextRead) -> CardFormData | None:
        """The form data of a card whose text record is in and whose photo is still being read (not the state's: the
        read's outcome follows); None when the record will be refused anyway (malformed, expired)."""
        try:
            card = CardRead(parse_text(event.text), event.reader)
            return form_data(card, decoder=None, today=self.today())
        except CardReadError:
            return None

    def decode_photo(self, data: CardFormData) -> PhotoDecoded:
        """Decode the pending photo of `data` (slow vendor code: off the GUI thread, after the fill)."""
        return PhotoDecoded(decoded_photo(data, self.decoder))

    def begin_read(self) -> CardFormState:
        """A read on demand (F2) starts: drop what was shown."""
        self.state = replace(self.state, data=None, error=None, status=texts.PANEL_READING, busy=True)
        return self.state

    def apply(self, event: PreparedEvent) -> CardFormState:
        """Fold one prepared event into the state and return the new state."""
        state = self.state
        readers = state.readers
        if isinstance(event, ReaderAttached):
            if event.reader not in readers:
                readers = (*readers, event.reader)
            state = replace(state, readers=readers, status=texts.PANEL_READER_ATTACHED.format(reader=event.reader))
        elif isinstance(event, ReaderDetached):
            message = texts.READER_UNPLUGGED.format(reader=event.reader)
            state = replace(state, readers=tuple(name for name in readers if name != event.reader), status=message)
            if state.busy:
                state = replace(state, data=None, error=message, busy=False)
        elif isinstance(event, CardInserted):
            state = replace(state, data=None, error=None, status=texts.PANEL_READING, busy=True)
        elif isinstance(event, FormReady):
            status = texts.PANEL_READ_OK.format(name=event.data.name, reader=event.reader)
            state = CardFormState(event.data, None, status, False, readers)
        elif isinstance(event, ReadFailed) and event.reader is None and not state.busy:
            state = replace(state, status=event.error.message)  # monitoring trouble: keep a card already shown
        elif isinstance(event, ReadFailed):
            state = replace(state, data=None, error=event.error.message, status=texts.PANEL_WAITING, busy=False)
        elif isinstance(event, PhotoDecoded):
            if state.data is None or state.data.record is not event.data.record:
                return state  # the photo of a card no longer shown
            state = replace(state, data=event.data)
        elif isinstance(event, CardRemoved):
            state = replace(state, busy=False)
        elif isinstance(event, RecordRead):
            return self.apply(self.prepare(event))
        self.state = state
        return state

    def handle(self, event: ReaderEvent) -> CardFormState:
        """Prepare and apply in one go, the photo decoded too (for callers on one thread: tests, the CLI)."""
        state = self.apply(self.prepare(event))
        if state.data is not None and state.data.photo_pending:
            state = self.apply(self.decode_photo(state.data))
        return state

    def enter_manually(self, entry: ManualEntry) -> CardFormState:
        """Keyboard entry: checked like a read card; refused input gives the error and no data."""
        try:
            card = manual_card(entry, today=self.today())
        except CardReadError as error:
            return self.apply(ReadFailed(texts.MANUAL_SOURCE, error))
        return self.handle(RecordRead(card.reader, card))
