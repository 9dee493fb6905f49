package server

import (
	"context"
	"encoding/json"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/rpc/wire"
)

// keepImages stores the payload of every image block in the realm's blob
// store, so that blob/get serves the blob_id history shows for it.
func (s *Server) keepImages(ctx context.Context, groups ...[]llm.Block) error {
	if s.cfg.Blobs == nil {
		return nil
	}
	for _, blocks := range groups {
		for _, b := range blocks {
			if b.Type != llm.BlockImage {
				continue
			}
			if _, err := s.cfg.Blobs.Put(ctx, b.MediaType, b.Data); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Server) blobGet(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.BlobGetParams](params)
	if err != nil {
		return nil, err
	}
	b, err := s.cfg.Blobs.Get(ctx, p.BlobID)
	if err != nil {
		return nil, err
	}
	return wire.BlobPayload{BlobID: b.ID, MediaType: b.MediaType, Data: b.Data}, nil
}
