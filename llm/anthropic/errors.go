package anthropic

import "errors"

var (
	errDuplicateBlock = errors.New("content_block_start repeats an open tool_use index")
	errOrphanDelta    = errors.New("input_json_delta for a block that is not an open tool_use")
)
