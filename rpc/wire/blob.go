package wire

// MethodBlobGet returns a stored payload by id.
const MethodBlobGet = "blob/get"

// BlobGetParams are blob/get's params.
type BlobGetParams struct {
	BlobID string `json:"blob_id"`
}

// BlobPayload answers blob/get; data is base64.
type BlobPayload struct {
	BlobID    string `json:"blob_id"`
	MediaType string `json:"media_type"`
	Data      string `json:"data"`
}
