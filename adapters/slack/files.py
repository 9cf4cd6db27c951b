"""What a command's answers cannot hold, as a file: Slack lets a command answer five times (its
`response_url`), so a long reading list's BibTeX (`Post.file`) goes whole to the person's direct
message with the bot, as `reading-list.bib` (slack_sdk's `files_upload_v2`: `files.getUploadURLExternal`,
the upload, `files.completeUploadExternal`; scope `files:write`). Where Slack refuses it (an app made
from an older manifest lacks the scope), the answer is the messages it may send, saying how to get
the rest."""

from __future__ import annotations

import logging
from dataclasses import replace

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.errors import error_code
from adapters.slack.follows import direct_message
from adapters.slack.render import too_long
from bot.domain.post import Post, entries_of

log = logging.getLogger("paperboy.slack")


async def as_file(client: AsyncWebClient, user: str, post: Post, *, public: bool = False) -> Post:
    """Send the post's code as its file to the person's direct message with the bot; what to answer:
    the post without its code, saying where it went (`public`: an answer others read too, a mention's in
    a thread, names whose direct message), or, where Slack refused, the post itself with a footer saying
    why the answer holds only part of it. A post one message holds is answered as it is."""
    if not too_long(post) or post.code is None or post.file is None:
        return post
    entries = len(entries_of(post.code))
    dm = await direct_message(client, user)
    refused = "the direct message could not be opened"
    if dm is not None:
        try:
            await client.files_upload_v2(
                channel=dm, filename=post.file, title=post.file, content=post.code, initial_comment=post.header
            )
        except SlackApiError as exc:
            refused = error_code(exc) or "an answer that was not Slack's"
            log.info("could not send %s to %s (%s)", post.file, user, refused)
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            # the upload itself (step 2, to the URL Slack gave: files.slack.com, not the API's base URL)
            # failed or went unanswered: the answers still hold what they can, as for a refusal
            refused = "the upload failed"
            log.warning("could not upload %s for %s: %s", post.file, user, exc)
        else:
            dm = "the asker's direct message with paperboy" if public else "our direct message (paperboy, under Apps)"
            where = f"All {entries} entries are in `{post.file}`, sent to {dm}."
            return replace(post, code=None, file=None, text=(*post.text, where))
    if refused == "missing_scope":
        why = "this app may not send files yet: whoever manages it adds the `files:write` scope and reinstalls it"
    else:
        why = f"Slack did not take it: {refused}"
    return replace(post, footer=f"The whole list could not come as a file ({why}).")
