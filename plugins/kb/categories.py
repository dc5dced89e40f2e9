"""The category tree: publishers of a department arrange its categories; the organization's own
(no department) are arranged by directors and administrators.

A category moves only under a category of the same department, never under itself or one of
its own sub-categories, and is deleted only when no article and no sub-category uses it.
"""
from __future__ import annotations

from sqlalchemy import exists, func, select

from core.i18n import _
from plugins.kb.articles import EVERY_DEPARTMENT_ROLES, KbError, KnowledgeBase
from plugins.kb.models import Article, Category


def may_arrange(knowledge_base: KnowledgeBase, department_id: int | None) -> bool:
    """Whether the actor arranges the categories of ``department_id`` (``None``: the organization's)."""
    if department_id is None:
        actor = knowledge_base.actor
        return actor is None or actor.role in EVERY_DEPARTMENT_ROLES
    return knowledge_base.can_publish(department_id)


def add(knowledge_base: KnowledgeBase, name: str, department_id: int | None, parent_id: int | None) -> Category:
    _allowed(knowledge_base, department_id)
    parent = _parent(knowledge_base, department_id, parent_id, None)
    category = Category(name=name, department_id=department_id, parent_id=parent.id if parent else None,
                        position=0)
    _unique(knowledge_base, category, name, category.parent_id)
    knowledge_base.dbsession.add(category)
    knowledge_base.dbsession.flush()
    return category


def change(knowledge_base: KnowledgeBase, category: Category, name: str, parent_id: int | None) -> None:
    """Rename ``category`` and move it under ``parent_id`` (``None``: to the top)."""
    _allowed(knowledge_base, category.department_id)
    parent = _parent(knowledge_base, category.department_id, parent_id, category)
    new_parent_id = parent.id if parent else None
    _unique(knowledge_base, category, name, new_parent_id)
    category.name = name
    category.parent_id = new_parent_id
    knowledge_base.dbsession.flush()


def remove(knowledge_base: KnowledgeBase, category: Category) -> None:
    _allowed(knowledge_base, category.department_id)
    dbsession = knowledge_base.dbsession
    if dbsession.scalar(select(exists().where(Category.parent_id == category.id))):
        raise KbError(_("Move or delete its sub-categories first."))
    used = dbsession.scalar(select(func.count()).select_from(Article).where(Article.category_id == category.id))
    if used:
        raise KbError(_("${count} articles are in this category; move them first.", mapping={"count": used}))
    dbsession.delete(category)
    dbsession.flush()


def _allowed(knowledge_base: KnowledgeBase, department_id: int | None) -> None:
    if not may_arrange(knowledge_base, department_id):
        raise KbError(_("You may not arrange the categories of this department."), "department")


def _parent(knowledge_base: KnowledgeBase, department_id: int | None, parent_id: int | None,
            moving: Category | None) -> Category | None:
    if parent_id is None:
        return None
    parent = knowledge_base.dbsession.get(Category, parent_id)
    if parent is None or parent.department_id != department_id:
        raise KbError(_("Choose a category of the same department."), "parent")
    if moving is not None and moving.id in _ancestors(knowledge_base, parent):
        raise KbError(_("A category cannot be placed under itself or under one of its sub-categories."), "parent")
    return parent


def _ancestors(knowledge_base: KnowledgeBase, category: Category) -> set[int]:
    """``category`` and every category above it (one query for the department's tree)."""
    parents = dict(knowledge_base.dbsession.execute(
        select(Category.id, Category.parent_id).where(Category.department_id.is_(category.department_id)
                                                      if category.department_id is None
                                                      else Category.department_id == category.department_id)).all())
    found, current = set(), category.id
    while current is not None and current not in found:
        found.add(current)
        current = parents.get(current)
    return found


def _unique(knowledge_base: KnowledgeBase, category: Category, name: str, parent_id: int | None) -> None:
    department = (Category.department_id.is_(None) if category.department_id is None
                  else Category.department_id == category.department_id)
    parent = Category.parent_id.is_(None) if parent_id is None else Category.parent_id == parent_id
    taken = select(Category.id).where(department, parent, Category.name == name)
    if category.id is not None:
        taken = taken.where(Category.id != category.id)
    if knowledge_base.dbsession.scalar(taken) is not None:
        raise KbError(_("There is already a category with this name here."), "name")
