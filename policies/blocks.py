"""The StreamField blocks a policy's body is written in."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class ThresholdLevelBlock(blocks.StructBlock):
    """One level of need: who it describes, what shows it and which service responds."""

    level = blocks.CharBlock(help_text="For example: Level 3")
    name = blocks.CharBlock(help_text="For example: Complex needs (Child in Need)")
    description = blocks.RichTextBlock(features=["bold", "italic", "link", "ul"])
    indicators = blocks.ListBlock(blocks.CharBlock(label="Indicator"), min_num=1)
    service = blocks.CharBlock(help_text="The service that responds at this level")

    class Meta:
        icon = "list-ol"


class ThresholdLevelsBlock(blocks.StructBlock):
    """The levels of need, from universal services to child protection."""

    heading = blocks.CharBlock(default="Levels of need")
    levels = blocks.ListBlock(ThresholdLevelBlock(), min_num=1)

    class Meta:
        icon = "table"
        template = "policies/blocks/threshold_levels.html"


class ProcedureStepBlock(blocks.StructBlock):
    """A step: what to do, who does it and by when."""

    title = blocks.CharBlock()
    detail = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])
    responsible = blocks.CharBlock(required=False, help_text="Who does this step")
    timescale = blocks.CharBlock(required=False, help_text="For example: within 24 hours")


class ProcedureBlock(blocks.StructBlock):
    """A numbered step-by-step procedure."""

    heading = blocks.CharBlock()
    steps = blocks.ListBlock(ProcedureStepBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "policies/blocks/procedure.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted note: important, information or warning."""

    kind = blocks.ChoiceBlock(
        choices=[
            ("important", "Important"),
            ("information", "Information"),
            ("warning", "Warning"),
        ],
        default="information",
    )
    heading = blocks.CharBlock()
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "warning"
        template = "policies/blocks/callout.html"


class DocumentBlock(blocks.StructBlock):
    """An attached document, kept with the version that published it."""

    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, help_text="Leave blank to use the document's title")

    class Meta:
        icon = "doc-full"
        template = "policies/blocks/document.html"


class PolicyBodyBlock(blocks.StreamBlock):
    """Everything a policy's body may contain."""

    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="policies/blocks/heading.html"
    )
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    threshold_levels = ThresholdLevelsBlock()
    procedure = ProcedureBlock()
    callout = CalloutBlock()
    document = DocumentBlock()
