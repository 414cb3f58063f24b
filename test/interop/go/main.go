// Command tlog-interop checks nospy's transparency-log output with an implementation nospy did
// not write (golang.org/x/mod/sumdb/note and sumdb/tlog), and produces material for nospy to
// check in return. It reads one JSON request on stdin and writes one JSON answer on stdout; any
// disagreement is reported on stderr with exit status 1.
//
//	tlog-interop verify   < request.json   checks a signed checkpoint, tiles, entries and proofs
//	tlog-interop produce  < request.json   builds a tree, signs a checkpoint, proves records
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type inclusion struct {
	Index    int64    `json:"index"`
	LeafHash string   `json:"leafHash"`
	Proof    []string `json:"proof"`
}

type consistency struct {
	OldSize int64    `json:"oldSize"`
	OldRoot string   `json:"oldRoot"`
	Proof   []string `json:"proof"`
}

// record is an entry the log acknowledged: its leaf hash must be the one the tiles hold at its
// index (how the soak shows that nothing acknowledged was lost).
type record struct {
	Index    int64  `json:"index"`
	LeafHash string `json:"leafHash"`
}

type verifyRequest struct {
	LogVkey     string        `json:"logVkey"`
	WitnessVkey string        `json:"witnessVkey"`
	Checkpoint  string        `json:"checkpoint"`
	TilesDir    string        `json:"tilesDir"`
	Inclusion   []inclusion   `json:"inclusion"`
	Consistency []consistency `json:"consistency"`
	Records     []record      `json:"records"`
}

type verifyAnswer struct {
	Origin             string   `json:"origin"`
	Size               int64    `json:"size"`
	Verified           []string `json:"verified"`
	EntriesChecked     int64    `json:"entriesChecked"`
	InclusionChecked   int      `json:"inclusionChecked"`
	ConsistencyChecked int      `json:"consistencyChecked"`
	RecordsChecked     int      `json:"recordsChecked"`
}

type produceRequest struct {
	Origin   string   `json:"origin"`
	Entries  []string `json:"entries"`
	Indexes  []int64  `json:"indexes"`
	OldSizes []int64  `json:"oldSizes"`
}

type produceAnswer struct {
	Skey        string        `json:"skey"`
	Vkey        string        `json:"vkey"`
	Checkpoint  string        `json:"checkpoint"`
	Root        string        `json:"root"`
	Inclusion   []inclusion   `json:"inclusion"`
	Consistency []consistency `json:"consistency"`
}

func main() {
	if len(os.Args) != 2 {
		fail(errors.New("usage: tlog-interop verify|produce < request.json"))
	}
	var err error
	switch os.Args[1] {
	case "verify":
		var req verifyRequest
		if err = json.NewDecoder(os.Stdin).Decode(&req); err == nil {
			var ans *verifyAnswer
			if ans, err = verify(&req); err == nil {
				err = json.NewEncoder(os.Stdout).Encode(ans)
			}
		}
	case "produce":
		var req produceRequest
		if err = json.NewDecoder(os.Stdin).Decode(&req); err == nil {
			var ans *produceAnswer
			if ans, err = produce(&req); err == nil {
				err = json.NewEncoder(os.Stdout).Encode(ans)
			}
		}
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tlog-interop:", err)
	os.Exit(1)
}

// parseCheckpoint reads a C2SP checkpoint body; tlog.ParseTree only knows the go.sum origin.
func parseCheckpoint(text string) (origin string, tree tlog.Tree, err error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 || !strings.HasSuffix(text, "\n") {
		return "", tree, fmt.Errorf("checkpoint has %d lines", len(lines))
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return "", tree, fmt.Errorf("bad tree size %q", lines[1])
	}
	h, err := tlog.ParseHash(lines[2])
	if err != nil {
		return "", tree, fmt.Errorf("bad root hash %q: %v", lines[2], err)
	}
	return lines[0], tlog.Tree{N: n, Hash: h}, nil
}

// cosignatureV1 verifies c2sp.org/tlog-cosignature signatures (key type 0x04), which x/mod
// does not know: sig = u64be timestamp || Ed25519 over "cosignature/v1\ntime <t>\n" || text.
type cosignatureV1 struct {
	name string
	hash uint32
	key  ed25519.PublicKey
}

func newCosignatureVerifier(vkey string) (*cosignatureV1, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("malformed witness vkey %q", vkey)
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 33 || raw[0] != 0x04 {
		return nil, fmt.Errorf("witness vkey %q is not a cosignature/v1 key", vkey)
	}
	sum := sha256.Sum256(append([]byte(parts[0]+"\n"), raw...))
	hash := binary.BigEndian.Uint32(sum[:4])
	if fmt.Sprintf("%08x", hash) != parts[1] {
		return nil, fmt.Errorf("witness vkey %q has the wrong key hash", vkey)
	}
	return &cosignatureV1{name: parts[0], hash: hash, key: ed25519.PublicKey(raw[1:])}, nil
}

func (c *cosignatureV1) Name() string    { return c.name }
func (c *cosignatureV1) KeyHash() uint32 { return c.hash }
func (c *cosignatureV1) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig[:8])
	m := []byte(fmt.Sprintf("cosignature/v1\ntime %d\n", t))
	return ed25519.Verify(c.key, append(m, msg...), sig[8:])
}

// dirTiles serves C2SP tiles from a directory: sumdb path tile/8/L/N → tile/L/N.
type dirTiles struct{ dir string }

func (d dirTiles) Height() int { return 8 }
func (d dirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := os.ReadFile(filepath.Join(d.dir, c2spPath(t)))
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}
func (d dirTiles) SaveTiles([]tlog.Tile, [][]byte) {}

func c2spPath(t tlog.Tile) string {
	p := strings.TrimPrefix(t.Path(), "tile/8/")
	if strings.HasPrefix(p, "data/") {
		return "tile/entries/" + strings.TrimPrefix(p, "data/")
	}
	return "tile/" + p
}

func hashes(list []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		h, err := tlog.ParseHash(s)
		if err != nil {
			return nil, fmt.Errorf("proof hash %d: %v", i, err)
		}
		out[i] = h
	}
	return out, nil
}

func sameHashes(a []tlog.Hash, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func verify(req *verifyRequest) (*verifyAnswer, error) {
	logKey, err := note.NewVerifier(req.LogVkey)
	if err != nil {
		return nil, fmt.Errorf("log vkey: %v", err)
	}
	known := []note.Verifier{logKey}
	if req.WitnessVkey != "" {
		w, err := newCosignatureVerifier(req.WitnessVkey)
		if err != nil {
			return nil, err
		}
		known = append(known, w)
	}
	n, err := note.Open([]byte(req.Checkpoint), note.VerifierList(known...))
	if err != nil {
		return nil, fmt.Errorf("note.Open: %v", err)
	}
	ans := &verifyAnswer{}
	for _, s := range n.Sigs {
		ans.Verified = append(ans.Verified, fmt.Sprintf("%s+%08x", s.Name, s.Hash))
	}
	origin, tree, err := parseCheckpoint(n.Text)
	if err != nil {
		return nil, err
	}
	if origin != logKey.Name() {
		return nil, fmt.Errorf("origin %q is not the key name %q", origin, logKey.Name())
	}
	ans.Origin, ans.Size = origin, tree.N
	if req.WitnessVkey != "" && len(n.Sigs) < 2 {
		return nil, errors.New("the witness cosignature did not verify")
	}

	// The reader authenticates every tile it loads against the tree hash.
	reader := tlog.TileHashReader(tree, dirTiles{req.TilesDir})
	root, err := tlog.TreeHash(tree.N, reader)
	if err != nil {
		return nil, fmt.Errorf("TreeHash from tiles: %v", err)
	}
	if root != tree.Hash {
		return nil, fmt.Errorf("tiles give root %v, checkpoint says %v", root, tree.Hash)
	}

	// Every entry bundle (uint16be length || entry) hashes to the leaf stored in the tiles.
	for start := int64(0); start < tree.N; start += 256 {
		w := tree.N - start
		if w > 256 {
			w = 256
		}
		t := tlog.Tile{H: 8, L: -1, N: start / 256, W: int(w)}
		data, err := os.ReadFile(filepath.Join(req.TilesDir, c2spPath(t)))
		if err != nil {
			return nil, err
		}
		indexes := make([]int64, w)
		for i := range indexes {
			indexes[i] = tlog.StoredHashIndex(0, start+int64(i))
		}
		leaves, err := reader.ReadHashes(indexes)
		if err != nil {
			return nil, fmt.Errorf("leaf hashes of %s: %v", c2spPath(t), err)
		}
		for i := int64(0); i < w; i++ {
			if len(data) < 2 {
				return nil, fmt.Errorf("%s ends before entry %d", c2spPath(t), i)
			}
			l := int(binary.BigEndian.Uint16(data))
			if len(data) < 2+l {
				return nil, fmt.Errorf("%s: entry %d is truncated", c2spPath(t), i)
			}
			if tlog.RecordHash(data[2:2+l]) != leaves[i] {
				return nil, fmt.Errorf("entry %d does not hash to its leaf", start+i)
			}
			data = data[2+l:]
			ans.EntriesChecked++
		}
		if len(data) != 0 {
			return nil, fmt.Errorf("%s has %d trailing bytes", c2spPath(t), len(data))
		}
	}

	for _, inc := range req.Inclusion {
		proof, err := hashes(inc.Proof)
		if err != nil {
			return nil, err
		}
		leaf, err := tlog.ParseHash(inc.LeafHash)
		if err != nil {
			return nil, err
		}
		if err := tlog.CheckRecord(proof, tree.N, tree.Hash, inc.Index, leaf); err != nil {
			return nil, fmt.Errorf("CheckRecord(%d, %d): %v", inc.Index, tree.N, err)
		}
		ours, err := tlog.ProveRecord(tree.N, inc.Index, reader)
		if err != nil || !sameHashes(ours, proof) {
			return nil, fmt.Errorf("ProveRecord(%d, %d) differs from the given proof (%v)", tree.N, inc.Index, err)
		}
		ans.InclusionChecked++
	}
	for _, c := range req.Consistency {
		proof, err := hashes(c.Proof)
		if err != nil {
			return nil, err
		}
		oldRoot, err := tlog.ParseHash(c.OldRoot)
		if err != nil {
			return nil, err
		}
		if err := tlog.CheckTree(proof, tree.N, tree.Hash, c.OldSize, oldRoot); err != nil {
			return nil, fmt.Errorf("CheckTree(%d, %d): %v", c.OldSize, tree.N, err)
		}
		ours, err := tlog.ProveTree(tree.N, c.OldSize, reader)
		if err != nil || !sameHashes(ours, proof) {
			return nil, fmt.Errorf("ProveTree(%d, %d) differs from the given proof (%v)", tree.N, c.OldSize, err)
		}
		ans.ConsistencyChecked++
	}
	// One read for every record: the reader loads and authenticates each tile once.
	indexes := make([]int64, len(req.Records))
	for i, r := range req.Records {
		if r.Index < 0 || r.Index >= tree.N {
			return nil, fmt.Errorf("acknowledged entry %d is beyond the checkpoint of size %d", r.Index, tree.N)
		}
		indexes[i] = tlog.StoredHashIndex(0, r.Index)
	}
	held, err := reader.ReadHashes(indexes)
	if err != nil {
		return nil, fmt.Errorf("leaf hashes of the acknowledged entries: %v", err)
	}
	for i, r := range req.Records {
		want, err := tlog.ParseHash(r.LeafHash)
		if err != nil {
			return nil, err
		}
		if held[i] != want {
			return nil, fmt.Errorf("acknowledged entry %d: the tiles hold leaf %v, not %v", r.Index, held[i], want)
		}
		ans.RecordsChecked++
	}
	return ans, nil
}

// memoryHashes is a tlog.HashReader over hashes kept in memory.
type memoryHashes []tlog.Hash

func (m memoryHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m)) {
			return nil, fmt.Errorf("hash index %d out of range", x)
		}
		out[i] = m[x]
	}
	return out, nil
}

func produce(req *produceRequest) (*produceAnswer, error) {
	skey, vkey, err := note.GenerateKey(rand.Reader, req.Origin)
	if err != nil {
		return nil, err
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, err
	}
	var stored memoryHashes
	for i, b64 := range req.Entries {
		entry, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %v", i, err)
		}
		add, err := tlog.StoredHashes(int64(i), entry, stored)
		if err != nil {
			return nil, err
		}
		stored = append(stored, add...)
	}
	size := int64(len(req.Entries))
	root, err := tlog.TreeHash(size, stored)
	if err != nil {
		return nil, err
	}
	text := fmt.Sprintf("%s\n%d\n%s\n", req.Origin, size, root)
	signed, err := note.Sign(&note.Note{Text: text}, signer)
	if err != nil {
		return nil, err
	}
	ans := &produceAnswer{Skey: skey, Vkey: vkey, Checkpoint: string(signed), Root: root.String()}
	for _, index := range req.Indexes {
		p, err := tlog.ProveRecord(size, index, stored)
		if err != nil {
			return nil, err
		}
		leaf, err := stored.ReadHashes([]int64{tlog.StoredHashIndex(0, index)})
		if err != nil {
			return nil, err
		}
		ans.Inclusion = append(ans.Inclusion, inclusion{Index: index, LeafHash: leaf[0].String(), Proof: strs(p)})
	}
	for _, old := range req.OldSizes {
		p, err := tlog.ProveTree(size, old, stored)
		if err != nil {
			return nil, err
		}
		oldRoot, err := tlog.TreeHash(old, stored)
		if err != nil {
			return nil, err
		}
		ans.Consistency = append(ans.Consistency, consistency{OldSize: old, OldRoot: oldRoot.String(), Proof: strs(p)})
	}
	return ans, nil
}

func strs(list []tlog.Hash) []string {
	out := make([]string, len(list))
	for i, h := range list {
		out[i] = h.String()
	}
	return out
}
