//! Account administration: editing a person's details, assigning unit managers.
