package framework

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"

	"github.com/terraform-intune/terraform-provider-intune/internal/graph"
)

// Entity is everything the shared core needs to know about one task type: its names, its
// attribute table, and how to make a fresh SDK model of it. An entity package declares one and
// registers the core's resource, data sources and list resource for it.
type Entity struct {
	// TypeName is the Terraform type name after the provider's prefix ("security_configuration_task").
	TypeName string
	// Noun names one entity in messages ("security configuration task").
	Noun string
	// ODataType is the derived type's @odata.type ("#microsoft.graph.securityConfigurationTask").
	ODataType string
	// Description is the resource's introduction (what the type is and who raises it).
	Description string
	// New makes a fresh SDK model of the type, to send (its constructor sets @odata.type).
	New func() models.DeviceAppManagementTaskable
	// Table is the entity's attribute table: TaskBase followed by the type's own rows.
	Table Table

	once sync.Once
	coll *graph.Collection
}

// Collection is the Graph collection the entity lives in, described from its table.
func (e *Entity) Collection() *graph.Collection {
	e.once.Do(func() {
		e.coll = graph.TaskCollection(e.ODataType, e.dateTimes(), e.Table.Enums())
	})
	return e.coll
}

// dateTimes are the date-times to repair in what Graph sends (graph.Collection.DateTimes): the
// table's, and for the view of every type also every registered type's, nested ones included,
// since a zone-less one the view did not know of would fail the whole list.
func (e *Entity) dateTimes() []string {
	out := e.Table.DateTimes()
	if e.ODataType != "" {
		return out
	}
	registryMu.RLock()
	defer registryMu.RUnlock()
	for _, r := range registry {
		for _, d := range r.Table.DateTimes() {
			if !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	slices.Sort(out)
	return out
}

// ResourceType is the entity's Terraform resource type ("intune_security_configuration_task").
func (e *Entity) ResourceType() string { return "intune_" + e.TypeName }

// GraphName is the type's name without the namespace ("securityConfigurationTask").
func (e *Entity) GraphName() string { return ShortTypeName(e.ODataType) }

// ShortTypeName is an @odata.type without Graph's namespace: "#microsoft.graph.appVulnerabilityTask"
// is "appVulnerabilityTask"; a type outside the namespace is returned as it is.
func ShortTypeName(odataType string) string {
	return strings.TrimPrefix(odataType, "#microsoft.graph.")
}

// plural is Noun in the plural, for messages about a list.
func (e *Entity) plural() string { return e.Noun + "s" }

// withArticle is Noun with its indefinite article, for messages about one entity: "a security
// configuration task", "an app vulnerability task".
func (e *Entity) withArticle() string {
	if e.Noun != "" && strings.ContainsRune("aeiou", rune(e.Noun[0])) {
		return "an " + e.Noun
	}
	return "a " + e.Noun
}

var (
	registryMu sync.RWMutex
	registry   = map[string]*Entity{}
)

// Register makes the task types with a resource known to each other: a resource or data source
// that meets a task of another registered type names the one that manages it, and the view of
// every type repairs each one's date-times.
func Register(entities ...*Entity) {
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, e := range entities {
		e.Table.check(e.ResourceType())
		registry[e.ODataType] = e
	}
	// The view's collection is described from the registry when first used: one described before
	// this registration would miss these types' date-times.
	allTasks = newAllTasks()
}

// ManagedBy is the registered entity of @odata.type odataType, or nil.
func ManagedBy(odataType string) *Entity {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return registry[odataType]
}

// importElsewhere names the resource to import a task of type odataType into, when a registered
// type other than the one asked for manages it (" It is an app vulnerability task: import it into
// intune_app_vulnerability_task instead.").
func importElsewhere(odataType string) string {
	return managedElsewhere(odataType, "import it into %s instead")
}

// readElsewhere names the data source to read a task of type odataType with.
func readElsewhere(odataType string) string {
	return managedElsewhere(odataType, "read it with data.%s instead")
}

func managedElsewhere(odataType, how string) string {
	e := ManagedBy(odataType)
	if e == nil {
		return ""
	}
	return " It is " + e.withArticle() + ": " + fmt.Sprintf(how, e.ResourceType()) + "."
}

// TaskBase is the table of the properties every task type has (deviceAppManagementTask), in the
// order the type's own rows follow.
func TaskBase() Table {
	type base = models.DeviceAppManagementTaskable
	return Table{
		Computed(String("id", "id", "The task's Graph id (`id`).", base.GetId)),
		Required(String("display_name", "displayName", "The task's name (`displayName`).", base.GetDisplayName)),
		String("description", "description", "The task's description (`description`).", base.GetDescription),
		String("creator", "creator", "The email address of the task's creator (`creator`).", base.GetCreator),
		String("creator_notes", "creatorNotes", "Notes from the creator (`creatorNotes`).", base.GetCreatorNotes),
		String("assigned_to", "assignedTo", "The name or email address of the administrator the task is assigned to (`assignedTo`).", base.GetAssignedTo),
		Computed(DateTime("created_date_time", "createdDateTime", "When Graph created the task (`createdDateTime`), RFC 3339 in UTC.", base.GetCreatedDateTime)),
		DateTime("due_date_time", "dueDateTime", "When the task is due (`dueDateTime`), RFC 3339.", base.GetDueDateTime),
		EnumOf("category", CategoryEnum, "The task's category (`category`)", base.GetCategory),
		EnumOf("priority", PriorityEnum, "The task's priority (`priority`)", base.GetPriority),
		EnumOf("status", StatusEnum, "The task's status (`status`)", base.GetStatus),
	}
}

// Row returns the table's row named name, or nil.
func (t Table) Row(name string) *Attr {
	for i := range t {
		if t[i].name == name {
			return &t[i]
		}
	}
	return nil
}

// allTasks is every task, of any type, read through the base task table; Register replaces it.
var allTasks = newAllTasks()

func newAllTasks() *Entity { return &Entity{Noun: "task", Table: TaskBase()} }

// AllTasks is the task collection with items of every type, read through the base task table,
// repairing the date-times of every registered type.
func AllTasks() *graph.Collection {
	registryMu.RLock()
	e := allTasks
	registryMu.RUnlock()
	return e.Collection()
}
