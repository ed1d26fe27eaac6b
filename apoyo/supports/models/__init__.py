"""The supports app's models, by concern; imported here so that `apoyo.supports.models` names them
all (Django, the migrations and the other apps import them from here)."""

from apoyo.supports.models.files import (  # noqa: F401
    CedulaScan,
    CedulaScanPage,
    ImageKind,
    ScanKind,
    SupportImage,
    app_image_path,
    scan_page_path,
    scan_path,
)
from apoyo.supports.models.review import (  # noqa: F401
    Confirmation,
    Review,
    ReviewOutcome,
    open_proposals,
)
from apoyo.supports.models.support import (  # noqa: F401
    OPL_CHANNELS,
    PAPER_CHANNELS,
    Cedula,
    ChangeAction,
    Channel,
    Inconsistency,
    Status,
    Support,
    SupportChange,
    inconsistencies_for_state,
    initial_status,
    search_name_of,
)
from apoyo.supports.models.tally import JudgedSupport, SupportTally  # noqa: F401
from apoyo.supports.models.upload import (  # noqa: F401
    IssueKind,
    Upload,
    UploadIssue,
    UploadStatus,
)
