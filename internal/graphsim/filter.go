package graphsim

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// $filter on the task collection (and its /$count).
//
// Graph documents no $filter support for deviceAppManagementTasks: the CSDL
// carries no capability annotations for it and the docs' list page names no
// filter (graph-behaviour.md §9). The emulator evaluates a small subset of
// OData v4's $filter, parsed and bound the way ODataLib (the .NET OData
// library Graph is built on) parses and binds it, with ODataLib's messages for
// what ODataLib itself refuses:
//
//   - comparisons eq ne gt ge lt le; and, or, not; parentheses. As in
//     ODataLib, not binds tighter than a comparison: "not displayName eq 'x'"
//     applies not to displayName (a 400); write "not (displayName eq 'x')".
//   - literals: 'strings' ('' is a quote), integers, decimals, true, false,
//     null, DateTimeOffset written bare (2027-01-01T00:00:00Z, with a fraction
//     or an offset: a '+' must be sent as %2B, or it is a space), enum members
//     as quoted names ('pending') or qualified
//     (microsoft.graph.deviceAppManagementTaskStatus'pending').
//   - properties of deviceAppManagementTask (id among them), and of a derived
//     type behind a cast: microsoft.graph.appVulnerabilityTask/appName. On a
//     task of another type a cast property is null. Names are case-sensitive,
//     like the keywords and function names.
//   - startswith, endswith, contains (ordinal, case-sensitive: the CSDL says
//     nothing of collation, and the emulator compares strings as .NET's
//     ordinal comparison does); isof('qualified.type').
//
// Strings compare by ordinal, date-times as instants, enums by their members'
// values. A comparison with null is true only for eq null (ne for non-null);
// an ordering comparison with null is false, as OData's null semantics say.
//
// Refused with 400 BadRequest: everything ODataLib refuses (syntax, unknown
// properties, functions and types, type mismatches), in ODataLib's words, and
// what ODataLib accepts but this subset does not evaluate (arithmetic, has,
// in, lambdas any/all, other built-in functions, two-argument isof), with a
// message of the emulator's own that starts "Invalid filter clause:", the
// prefix Graph's services put on filters they do not support.

// filterExpr is a bound $filter.
type filterExpr struct {
	text string
	root fnode
}

// matches reports whether t passes the filter (a nil filter passes all).
func (f *filterExpr) matches(t *task) bool {
	if f == nil {
		return true
	}
	b, _ := f.root.eval(t).(bool)
	return b
}

// parseFilter parses and binds a $filter against the task collection.
func parseFilter(text string) (*filterExpr, *odataErr) {
	p := &fparser{text: text, src: []rune(text)}
	if err := p.advance(); err != nil {
		return nil, err
	}
	tree, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != ftEnd {
		// ODataLib names the position just past the token it did not expect.
		return nil, p.syntaxError(p.tok.end)
	}
	root, err := p.bind(tree)
	if err != nil {
		return nil, err
	}
	if k := root.typ().kind; k != fBool && k != fNull {
		return nil, badRequest("The $filter expression must evaluate to a single boolean value.")
	}
	return &filterExpr{text: text, root: root}, nil
}

// ---------------------------------------------------------------------------
// Lexer

type ftokKind int

const (
	ftEnd ftokKind = iota
	ftIdent
	ftString
	ftInt
	ftDecimal
	ftDateTime
	ftDate
	ftTypedString // qualified.name'member'
	ftOpen
	ftClose
	ftComma
	ftSlash
	ftColon
	ftMinus
)

type ftoken struct {
	kind     ftokKind
	text     string // the token as written
	str      string // a string literal's value; a typed literal's member
	pos, end int    // in runes
}

var (
	fDateTimeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})`)
	fDateRE     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`)
	fNumberRE   = regexp.MustCompile(`^-?\d+(\.\d+)?([eE][+-]?\d+)?`)
)

type fparser struct {
	text string
	src  []rune
	i    int // lexer position
	tok  ftoken
}

func (p *fparser) syntaxError(pos int) *odataErr {
	return badRequest("Syntax error at position %d in '%s'.", pos, p.text)
}

func (p *fparser) unsupported(what string, pos int) *odataErr {
	return badRequest("Invalid filter clause: %s at position %d in '%s' is not supported.", what, pos, p.text)
}

func isIdentStart(r rune) bool { return r == '_' || r == '$' || unicode.IsLetter(r) }
func isIdentPart(r rune) bool  { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// advance reads the next token, as ODataLib's ExpressionLexer does: lazily,
// so that an error further on is found only once the parser gets there.
func (p *fparser) advance() *odataErr {
	for p.i < len(p.src) && unicode.IsSpace(p.src[p.i]) {
		p.i++
	}
	start := p.i
	tok := ftoken{pos: start}
	if start >= len(p.src) {
		tok.kind, tok.end = ftEnd, start
		p.tok = tok
		return nil
	}
	c := p.src[start]
	rest := string(p.src[start:])
	switch {
	case c == '(' || c == ')' || c == ',' || c == '/' || c == ':':
		tok.kind = map[rune]ftokKind{'(': ftOpen, ')': ftClose, ',': ftComma, '/': ftSlash, ':': ftColon}[c]
		p.i++
	case c == '\'':
		s, err := p.quoted()
		if err != nil {
			return err
		}
		tok.kind, tok.str = ftString, s
	case unicode.IsDigit(c) || (c == '-' && start+1 < len(p.src) && unicode.IsDigit(p.src[start+1])):
		if m := fDateTimeRE.FindString(rest); m != "" && c != '-' {
			tok.kind = ftDateTime
			p.i += len([]rune(m))
		} else if m := fDateRE.FindString(rest); m != "" && c != '-' {
			tok.kind = ftDate
			p.i += len([]rune(m))
		} else {
			m := fNumberRE.FindString(rest)
			tok.kind = ftInt
			if strings.ContainsAny(m, ".eE") {
				tok.kind = ftDecimal
			}
			p.i += len([]rune(m))
		}
	case c == '-':
		tok.kind = ftMinus
		p.i++
	case isIdentStart(c):
		p.i++
		for p.i < len(p.src) {
			r := p.src[p.i]
			if isIdentPart(r) {
				p.i++
				continue
			}
			// A dotted (namespace-qualified) name: microsoft.graph.x.
			if r == '.' && p.i+1 < len(p.src) && isIdentStart(p.src[p.i+1]) {
				p.i++
				continue
			}
			break
		}
		tok.kind = ftIdent
		if p.i < len(p.src) && p.src[p.i] == '\'' {
			s, err := p.quoted()
			if err != nil {
				return err
			}
			tok.kind, tok.str = ftTypedString, s
		}
	default:
		return badRequest("Syntax error: character '%c' is not valid at position %d in '%s'.", c, start, p.text)
	}
	tok.end = p.i
	tok.text = string(p.src[start:p.i])
	p.tok = tok
	return nil
}

// quoted reads a single-quoted literal at p.i; ” is a quote.
func (p *fparser) quoted() (string, *odataErr) {
	var b strings.Builder
	p.i++ // the opening quote
	for {
		if p.i >= len(p.src) {
			return "", badRequest("There is an unterminated string literal at position %d in '%s'.", len(p.src), p.text)
		}
		r := p.src[p.i]
		p.i++
		if r == '\'' {
			if p.i < len(p.src) && p.src[p.i] == '\'' {
				b.WriteRune('\'')
				p.i++
				continue
			}
			return b.String(), nil
		}
		b.WriteRune(r)
	}
}

func (p *fparser) isIdent(words ...string) bool {
	if p.tok.kind != ftIdent {
		return false
	}
	for _, w := range words {
		if p.tok.text == w {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Parser: a syntax tree, bound afterwards, as ODataLib parses then binds (so a
// syntax error anywhere wins over an unknown property).

type qkind int

const (
	qBinary qkind = iota
	qNot
	qLiteral
	qPath
	qCall
)

type qnode struct {
	kind qkind
	op   string // qBinary: eq ne gt ge lt le and or
	l, r *qnode
	lit  ftoken
	segs []string // qPath
	name string   // qCall
	args []*qnode
	pos  int
}

var comparisonOps = []string{"eq", "ne", "gt", "ge", "lt", "le"}

func (p *fparser) parseOr() (*qnode, *odataErr) {
	l, err := p.parseAnd()
	for err == nil && p.isIdent("or") {
		pos := p.tok.pos
		if err = p.advance(); err != nil {
			break
		}
		var r *qnode
		if r, err = p.parseAnd(); err == nil {
			l = &qnode{kind: qBinary, op: "or", l: l, r: r, pos: pos}
		}
	}
	return l, err
}

func (p *fparser) parseAnd() (*qnode, *odataErr) {
	l, err := p.parseComparison()
	for err == nil && p.isIdent("and") {
		pos := p.tok.pos
		if err = p.advance(); err != nil {
			break
		}
		var r *qnode
		if r, err = p.parseComparison(); err == nil {
			l = &qnode{kind: qBinary, op: "and", l: l, r: r, pos: pos}
		}
	}
	return l, err
}

func (p *fparser) parseComparison() (*qnode, *odataErr) {
	l, err := p.parseAdditive()
	for err == nil {
		switch {
		case p.isIdent(comparisonOps...):
			op, pos := p.tok.text, p.tok.pos
			if err = p.advance(); err != nil {
				return nil, err
			}
			var r *qnode
			if r, err = p.parseAdditive(); err == nil {
				l = &qnode{kind: qBinary, op: op, l: l, r: r, pos: pos}
			}
		case p.isIdent("has", "in"):
			return nil, p.unsupported("the operator '"+p.tok.text+"'", p.tok.pos)
		default:
			return l, nil
		}
	}
	return nil, err
}

func (p *fparser) parseAdditive() (*qnode, *odataErr) {
	l, err := p.parseMultiplicative()
	if err == nil && p.isIdent("add", "sub") {
		return nil, p.unsupported("the arithmetic operator '"+p.tok.text+"'", p.tok.pos)
	}
	return l, err
}

func (p *fparser) parseMultiplicative() (*qnode, *odataErr) {
	l, err := p.parseUnary()
	if err == nil && p.isIdent("mul", "div", "divby", "mod") {
		return nil, p.unsupported("the arithmetic operator '"+p.tok.text+"'", p.tok.pos)
	}
	return l, err
}

func (p *fparser) parseUnary() (*qnode, *odataErr) {
	switch {
	case p.tok.kind == ftMinus:
		return nil, p.unsupported("the arithmetic operator '-'", p.tok.pos)
	case p.isIdent("not"):
		pos := p.tok.pos
		if err := p.advance(); err != nil {
			return nil, err
		}
		operand, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &qnode{kind: qNot, l: operand, pos: pos}, nil
	}
	return p.parsePrimary()
}

func (p *fparser) parsePrimary() (*qnode, *odataErr) {
	tok := p.tok
	switch tok.kind {
	case ftOpen:
		if err := p.advance(); err != nil {
			return nil, err
		}
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != ftClose {
			return nil, badRequest("')' or operator expected at position %d in '%s'.", p.tok.pos, p.text)
		}
		return e, p.advance()
	case ftString, ftInt, ftDecimal, ftDateTime, ftDate, ftTypedString:
		return &qnode{kind: qLiteral, lit: tok, pos: tok.pos}, p.advance()
	case ftIdent:
		if err := p.advance(); err != nil {
			return nil, err
		}
		switch tok.text {
		case "true", "false", "null":
			return &qnode{kind: qLiteral, lit: tok, pos: tok.pos}, nil
		}
		if p.tok.kind == ftOpen {
			return p.parseCall(tok)
		}
		path := &qnode{kind: qPath, segs: []string{tok.text}, pos: tok.pos}
		for p.tok.kind == ftSlash {
			if err := p.advance(); err != nil {
				return nil, err
			}
			if p.tok.kind != ftIdent {
				return nil, p.syntaxError(p.tok.end)
			}
			seg := p.tok
			if err := p.advance(); err != nil {
				return nil, err
			}
			if (seg.text == "any" || seg.text == "all") && p.tok.kind == ftOpen {
				return nil, p.unsupported("the lambda operator '"+seg.text+"'", seg.pos)
			}
			path.segs = append(path.segs, seg.text)
		}
		return path, nil
	}
	return nil, badRequest("Expression expected at position %d in '%s'.", tok.pos, p.text)
}

// parseCall reads a function call's arguments; p.tok is its '('.
func (p *fparser) parseCall(name ftoken) (*qnode, *odataErr) {
	call := &qnode{kind: qCall, name: name.text, pos: name.pos}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == ftClose {
		return call, p.advance()
	}
	for {
		a, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		call.args = append(call.args, a)
		switch p.tok.kind {
		case ftComma:
			if err := p.advance(); err != nil {
				return nil, err
			}
		case ftClose:
			return call, p.advance()
		default:
			return nil, badRequest("')' or ',' expected at position %d in '%s'.", p.tok.pos, p.text)
		}
	}
}

// ---------------------------------------------------------------------------
// Binder: types from the CSDL, ODataLib's type rules and messages.

type fkind int

const (
	fNull fkind = iota // the null literal: compatible with every type
	fBool
	fString
	fDateTime
	fDate
	fNumber
	fEnum
	fEntity     // a bare type segment
	fCollection // not a single value
)

type ftype struct {
	kind fkind
	name string // as ODataLib names it: Edm.String, the enum's or collection's qualified name
	enum *enumType
}

type fnode interface {
	typ() ftype
	eval(t *task) any // nil, bool, string (strings, enum members, dates), time.Time, float64
}

// ODataLib's BinaryOperatorKind names, for messages.
var operatorKinds = map[string]string{"eq": "Equal", "ne": "NotEqual", "gt": "GreaterThan", "ge": "GreaterThanOrEqual",
	"lt": "LessThan", "le": "LessThanOrEqual", "and": "And", "or": "Or"}

// builtInFunctions are ODataLib's; the subset evaluates three of them and isof.
var builtInFunctions = map[string]bool{"concat": true, "contains": true, "endswith": true, "indexof": true, "length": true,
	"startswith": true, "substring": true, "tolower": true, "toupper": true, "trim": true, "year": true, "month": true,
	"day": true, "hour": true, "minute": true, "second": true, "fractionalseconds": true, "totalseconds": true,
	"totaloffsetminutes": true, "date": true, "time": true, "now": true, "maxdatetime": true, "mindatetime": true,
	"round": true, "floor": true, "ceiling": true, "cast": true, "isof": true, "geo.distance": true, "geo.length": true,
	"geo.intersects": true, "matchesPattern": true, "substringof": true}

func (p *fparser) bind(q *qnode) (fnode, *odataErr) {
	switch q.kind {
	case qLiteral:
		return p.bindLiteral(q.lit)
	case qPath:
		return bindPath(q.segs)
	case qNot:
		operand, err := p.bind(q.l)
		if err != nil {
			return nil, err
		}
		if t := operand.typ(); t.kind == fCollection {
			return nil, badRequest("The operand for a unary operator 'Not' is not a single value. Unary operators require the operand to be a single value.")
		} else if t.kind != fBool && t.kind != fNull {
			return nil, badRequest("A unary operator with an incompatible type was detected. Found operand type '%s' for operator kind 'Not'.", t.name)
		}
		return notNode{operand}, nil
	case qCall:
		return p.bindCall(q)
	}
	l, err := p.bind(q.l)
	if err != nil {
		return nil, err
	}
	r, err := p.bind(q.r)
	if err != nil {
		return nil, err
	}
	kind := operatorKinds[q.op]
	lt, rt := l.typ(), r.typ()
	if lt.kind == fCollection || rt.kind == fCollection {
		return nil, badRequest("The operand for a binary operator '%s' is not a single value. Binary operators require both operands to be single values.", kind)
	}
	incompatible := badRequest("A binary operator with incompatible types was detected. Found operand types '%s' and '%s' for operator kind '%s'.", lt.name, rt.name, kind)
	if q.op == "and" || q.op == "or" {
		if (lt.kind != fBool && lt.kind != fNull) || (rt.kind != fBool && rt.kind != fNull) {
			return nil, incompatible
		}
		return logicNode{and: q.op == "and", l: l, r: r}, nil
	}
	// An enum compared with a string literal: the literal names a member.
	if l, r, err = enumOperands(q, l, r); err != nil {
		return nil, err
	}
	lt, rt = l.typ(), r.typ()
	ok := lt.kind == fNull || rt.kind == fNull ||
		(lt.kind == rt.kind && lt.kind != fEnum && lt.kind != fEntity) ||
		(lt.kind == fEnum && rt.kind == fEnum && lt.name == rt.name)
	if !ok {
		return nil, incompatible
	}
	enum := lt.enum
	if enum == nil {
		enum = rt.enum
	}
	return cmpNode{op: q.op, l: l, r: r, enum: enum}, nil
}

// enumOperands converts a string literal compared with an enum into that
// enum's member, as ODataLib does ("status eq 'pending'").
func enumOperands(q *qnode, l, r fnode) (fnode, fnode, *odataErr) {
	conv := func(side *qnode, n fnode, other ftype) (fnode, *odataErr) {
		lit, isLit := n.(litNode)
		if other.kind != fEnum || !isLit || lit.t.kind != fString || side.kind != qLiteral {
			return n, nil
		}
		member := lit.v.(string)
		if !other.enum.has(member) {
			return nil, badRequest("The string '%s' is not a valid enumeration type constant.", member)
		}
		return litNode{t: other, v: member}, nil
	}
	var err *odataErr
	if l, err = conv(q.l, l, r.typ()); err != nil {
		return nil, nil, err
	}
	if r, err = conv(q.r, r, l.typ()); err != nil {
		return nil, nil, err
	}
	return l, r, nil
}

func (p *fparser) bindLiteral(tok ftoken) (fnode, *odataErr) {
	switch tok.kind {
	case ftString:
		return litNode{t: ftype{kind: fString, name: "Edm.String"}, v: tok.str}, nil
	case ftInt:
		n, err := strconv.ParseInt(tok.text, 10, 64)
		name := "Edm.Int32"
		switch {
		case err != nil:
			name = "Edm.Decimal"
		case n > 1<<31-1 || n < -1<<31:
			name = "Edm.Int64"
		}
		f, _ := strconv.ParseFloat(tok.text, 64)
		return litNode{t: ftype{kind: fNumber, name: name}, v: f}, nil
	case ftDecimal:
		f, err := strconv.ParseFloat(tok.text, 64)
		if err != nil {
			return nil, badRequest("Numeric string '%s' is not a valid Int32/Int64/Double/Decimal.", tok.text)
		}
		name := "Edm.Decimal"
		if strings.ContainsAny(tok.text, "eE") {
			name = "Edm.Double"
		}
		return litNode{t: ftype{kind: fNumber, name: name}, v: f}, nil
	case ftDateTime:
		text := tok.text
		if m := fDateTimeRE.FindStringSubmatch(text); m[1] == "" {
			// No seconds: 2027-01-01T00:00Z is 2027-01-01T00:00:00Z.
			text = text[:16] + ":00" + text[16:]
		}
		t, ok := parseGraphTime(text)
		if !ok {
			return nil, badRequest("Unrecognized 'Edm.DateTimeOffset' literal '%s' at '%d' in '%s'.", tok.text, tok.pos, p.text)
		}
		return litNode{t: ftype{kind: fDateTime, name: "Edm.DateTimeOffset"}, v: t}, nil
	case ftDate:
		if _, err := time.Parse("2006-01-02", tok.text); err != nil {
			return nil, badRequest("Unrecognized 'Edm.Date' literal '%s' at '%d' in '%s'.", tok.text, tok.pos, p.text)
		}
		return litNode{t: ftype{kind: fDate, name: "Edm.Date"}, v: tok.text}, nil
	case ftTypedString:
		name, _, _ := strings.Cut(tok.text, "'")
		e := edm.enums[name]
		if e == nil {
			return nil, p.syntaxError(tok.end)
		}
		if !e.has(tok.str) {
			return nil, badRequest("The string '%s' is not a valid enumeration type constant.", tok.str)
		}
		return litNode{t: ftype{kind: fEnum, name: e.name, enum: e}, v: tok.str}, nil
	}
	switch tok.text {
	case "true", "false":
		return litNode{t: ftype{kind: fBool, name: "Edm.Boolean"}, v: tok.text == "true"}, nil
	}
	return litNode{t: ftype{kind: fNull}, v: nil}, nil
}

// bindPath binds a member path: a property of the base type, or a cast to a
// task type followed by one of its properties.
func bindPath(segs []string) (fnode, *odataErr) {
	typ, cast := baseType, ""
	if strings.Contains(segs[0], ".") {
		t := edm.types[segs[0]]
		if t == nil || t.complex {
			return nil, badRequest("The child type '%s' in a cast was not an entity type. Casts can only be performed on entity types.", segs[0])
		}
		if !t.isA(baseTypeName) {
			return nil, badRequest("Encountered invalid type cast. '%s' is not assignable from '%s'.", t.name, baseTypeName)
		}
		typ, cast, segs = t, t.name, segs[1:]
		if len(segs) == 0 {
			return propNode{t: ftype{kind: fEntity, name: t.name}, cast: cast}, nil
		}
	}
	name := segs[0]
	var ft ftype
	if p, ok := typ.prop(name); ok {
		ft = propType(p)
	} else if n, ok := typ.nav(name); ok {
		ft = ftype{kind: fCollection, name: n.typeName}
	} else {
		return nil, badRequest("Could not find a property named '%s' on type '%s'.", name, typ.name)
	}
	if len(segs) > 1 {
		if ft.kind == fCollection {
			return nil, badRequest("The parent value for a property access of a property '%s' is not a single value. Property access can only be applied to a single value.", segs[1])
		}
		return nil, badRequest("Could not find a property named '%s' on type '%s'.", segs[1], ft.name)
	}
	return propNode{t: ft, cast: cast, name: name}, nil
}

func propType(p propDef) ftype {
	switch p.kind {
	case kString:
		return ftype{kind: fString, name: "Edm.String"}
	case kDateTime:
		return ftype{kind: fDateTime, name: "Edm.DateTimeOffset"}
	case kInt32:
		return ftype{kind: fNumber, name: "Edm.Int32"}
	case kEnum:
		return ftype{kind: fEnum, name: p.enum.name, enum: p.enum}
	}
	return ftype{kind: fCollection, name: p.typeName}
}

func (p *fparser) bindCall(q *qnode) (fnode, *odataErr) {
	switch q.name {
	case "startswith", "endswith", "contains":
		args := make([]fnode, len(q.args))
		for i, a := range q.args {
			n, err := p.bind(a)
			if err != nil {
				return nil, err
			}
			if n.typ().kind == fCollection {
				return nil, badRequest("The argument for an invocation of a function with name '%s' is not a single value. All arguments for this function must be single values.", q.name)
			}
			args[i] = n
		}
		ok := len(args) == 2
		for _, a := range args {
			if k := a.typ().kind; k != fString && k != fNull {
				ok = false
			}
		}
		if !ok {
			return nil, badRequest("No function signature for the function with name '%s' matches the specified arguments. The function signatures considered are: %s(Edm.String Nullable=true, Edm.String Nullable=true).", q.name, q.name)
		}
		return funcNode{name: q.name, args: args}, nil
	case "isof":
		switch len(q.args) {
		case 1:
		case 2:
			return nil, p.unsupported("isof with two arguments", q.pos)
		default:
			return nil, badRequest("The Cast or IsOf expression has an invalid number of operands: number of operands is '%d' and it should be 1 or 2.", len(q.args))
		}
		a := q.args[0]
		if a.kind != qLiteral || a.lit.kind != ftString || edm.types[a.lit.str] == nil {
			return nil, badRequest("Cast or IsOf Function must have a type in its arguments.")
		}
		return isofNode{typeName: a.lit.str}, nil
	}
	if builtInFunctions[q.name] {
		return nil, p.unsupported("the function '"+q.name+"'", q.pos)
	}
	return nil, badRequest("An unknown function with name '%s' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.", q.name)
}

// ---------------------------------------------------------------------------
// Evaluation

type litNode struct {
	t ftype
	v any
}

func (n litNode) typ() ftype     { return n.t }
func (n litNode) eval(*task) any { return n.v }

type propNode struct {
	t    ftype
	cast string
	name string
}

func (n propNode) typ() ftype { return n.t }

// badValue is a stored value of another JSON type than the property's (one
// SetRaw planted): it equals nothing, null included, and orders with nothing.
type badValue struct{}

func (n propNode) eval(t *task) any {
	if n.cast != "" && !taskIsA(t, n.cast) {
		return nil // a cast to a type the task is not yields null
	}
	v, ok := t.props[n.name]
	if !ok || v == nil {
		return nil
	}
	switch n.t.kind {
	case fString, fEnum:
		if s, ok := v.(string); ok {
			return s
		}
	case fDateTime:
		if s, ok := v.(string); ok {
			if tm, ok := parseGraphTime(s); ok {
				return tm
			}
		}
	case fNumber:
		switch x := v.(type) {
		case int64:
			return float64(x)
		case int:
			return float64(x)
		case float64:
			return x
		case json.Number:
			if f, err := x.Float64(); err == nil {
				return f
			}
		}
	}
	return badValue{}
}

// taskIsA reports whether t is of the type named name or derives from it; a
// task seeded with a type the CSDL lacks is of that type and the base type.
func taskIsA(t *task, name string) bool {
	if t.typ != nil {
		return t.typ.isA(name)
	}
	return name == baseTypeName || name == entityTypeName || name == storedTypeName(t)
}

type notNode struct{ operand fnode }

func (n notNode) typ() ftype { return ftype{kind: fBool, name: "Edm.Boolean"} }
func (n notNode) eval(t *task) any {
	b, ok := n.operand.eval(t).(bool)
	if !ok {
		return nil
	}
	return !b
}

// logicNode is and/or with OData's three-valued logic (null is unknown).
type logicNode struct {
	and  bool
	l, r fnode
}

func (n logicNode) typ() ftype { return ftype{kind: fBool, name: "Edm.Boolean"} }
func (n logicNode) eval(t *task) any {
	lv, lok := n.l.eval(t).(bool)
	rv, rok := n.r.eval(t).(bool)
	if n.and {
		switch {
		case (lok && !lv) || (rok && !rv):
			return false
		case lok && rok:
			return true
		}
		return nil
	}
	switch {
	case (lok && lv) || (rok && rv):
		return true
	case lok && rok:
		return false
	}
	return nil
}

type cmpNode struct {
	op   string
	l, r fnode
	enum *enumType
}

func (n cmpNode) typ() ftype { return ftype{kind: fBool, name: "Edm.Boolean"} }

func (n cmpNode) eval(t *task) any {
	lv, rv := n.l.eval(t), n.r.eval(t)
	switch n.op {
	case "eq":
		return equalValues(lv, rv)
	case "ne":
		return !equalValues(lv, rv)
	}
	if lv == nil || rv == nil {
		return false
	}
	c, ok := compareValues(lv, rv, n.enum)
	if !ok {
		return false
	}
	switch n.op {
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	}
	return c <= 0 // le
}

func equalValues(a, b any) bool {
	if a == (badValue{}) || b == (badValue{}) {
		return false
	}
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	return a == b
}

// compareValues orders two non-null values of one type; false when they
// cannot be ordered (an enum value outside the enum's members).
func compareValues(a, b any, enum *enumType) (int, bool) {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		if !ok {
			return 0, false
		}
		if enum != nil {
			i, j := memberIndex(enum, x), memberIndex(enum, y)
			if i < 0 || j < 0 {
				return 0, false
			}
			return i - j, true
		}
		return strings.Compare(x, y), true
	case time.Time:
		y, ok := b.(time.Time)
		if !ok {
			return 0, false
		}
		return x.Compare(y), true
	case float64:
		y, ok := b.(float64)
		switch {
		case !ok:
			return 0, false
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	case bool:
		y, ok := b.(bool)
		if !ok {
			return 0, false
		}
		switch {
		case x == y:
			return 0, true
		case !x:
			return -1, true
		}
		return 1, true
	}
	return 0, false
}

// memberIndex is a member's position, which is its value in this CSDL (the
// members of every enum of the family are numbered 0, 1, 2... in order).
func memberIndex(e *enumType, m string) int {
	for i, x := range e.members {
		if x == m {
			return i
		}
	}
	return -1
}

type funcNode struct {
	name string
	args []fnode
}

func (n funcNode) typ() ftype { return ftype{kind: fBool, name: "Edm.Boolean"} }
func (n funcNode) eval(t *task) any {
	a, aok := n.args[0].eval(t).(string)
	b, bok := n.args[1].eval(t).(string)
	if !aok || !bok {
		return nil
	}
	switch n.name {
	case "startswith":
		return strings.HasPrefix(a, b)
	case "endswith":
		return strings.HasSuffix(a, b)
	}
	return strings.Contains(a, b)
}

type isofNode struct{ typeName string }

func (n isofNode) typ() ftype       { return ftype{kind: fBool, name: "Edm.Boolean"} }
func (n isofNode) eval(t *task) any { return taskIsA(t, n.typeName) }
