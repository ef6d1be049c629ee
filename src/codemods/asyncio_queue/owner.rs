//! Who owns the queue: the function (local mode) or the class (attribute mode) whose variable
//! or attribute holds it.

use crate::analysis::syntax::field_is;
use crate::codemods::{Ctx, enclosing_function};
use crate::resolve::named_children;
use tree_sitter::Node;

// ------------------------------------------------------------------ who owns the queue

/// Where the queue lives: a local variable, or an attribute set in `__init__`.
pub(super) enum Owner<'t> {
    Local {
        func: Node<'t>,
        stmt: Node<'t>,
        target: Node<'t>,
        name: String,
    },
    Class {
        class: Node<'t>,
        stmt: Node<'t>,
        target: Node<'t>,
        attr: String,
    },
}

impl<'t> Owner<'t> {
    pub(super) fn stmt(&self) -> Node<'t> {
        match self {
            Self::Local { stmt, .. } | Self::Class { stmt, .. } => *stmt,
        }
    }

    pub(super) fn target(&self) -> Node<'t> {
        match self {
            Self::Local { target, .. } | Self::Class { target, .. } => *target,
        }
    }

    pub(super) fn is_local(&self) -> bool {
        matches!(self, Self::Local { .. })
    }
}

/// Find the statement that creates the queue and what it binds, or say why it escapes.
pub(super) fn locate<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Result<Owner<'t>, String> {
    let mut value = call;
    while let Some(p) = ctx
        .parent(value)
        .filter(|p| p.kind() == "parenthesized_expression")
    {
        value = p;
    }
    let Some(parent) = ctx.parent(value) else {
        return Err("it is not assigned to a name".to_owned());
    };
    if parent.kind() != "assignment" || !field_is(parent, "right", value) {
        return Err(match parent.kind() {
            "return_statement" => "it is returned as soon as it is created".to_owned(),
            "argument_list" | "keyword_argument" => {
                "it is created as an argument of a call, which keeps it".to_owned()
            }
            "list" | "tuple" | "set" | "pair" | "dictionary" | "expression_list" => {
                "it is created inside a container".to_owned()
            }
            "default_parameter" | "typed_default_parameter" => {
                "it is a parameter's default value".to_owned()
            }
            "lambda" => "it is created by a lambda".to_owned(),
            _ => "it is created inside a larger expression".to_owned(),
        });
    }
    let Some(stmt) = ctx
        .parent(parent)
        .filter(|s| s.kind() == "expression_statement")
    else {
        return Err("it is assigned in a chained assignment".to_owned());
    };
    let Some(target) = parent.child_by_field_name("left") else {
        return Err("it is not assigned to a name".to_owned());
    };
    let container = ctx.parent(stmt).map(|b| b.kind());
    if container == Some("module") {
        return Err("it is a module-level variable, which other modules can import".to_owned());
    }
    if ctx
        .parent(stmt)
        .and_then(|b| ctx.parent(b))
        .is_some_and(|c| c.kind() == "class_definition")
    {
        return Err("it is a class attribute, shared by every instance".to_owned());
    }
    let Some(func) =
        enclosing_function(ctx.resolver, stmt).filter(|f| f.kind() == "function_definition")
    else {
        return Err("it is not created in a function".to_owned());
    };
    match target.kind() {
        "identifier" => {
            let name = ctx.text_of(target).to_owned();
            if ctx.resolver.defining_scope(&name, target) != Some(func.id()) {
                return Err(format!(
                    "`{name}` is a global variable, which other modules can import"
                ));
            }
            Ok(Owner::Local {
                func,
                stmt,
                target,
                name,
            })
        }
        "attribute" => {
            let (Some(object), Some(attr)) = (
                target.child_by_field_name("object"),
                target.child_by_field_name("attribute"),
            ) else {
                return Err("it is stored on another object".to_owned());
            };
            let text = ctx.text_of(target).to_owned();
            let method = method_of(ctx, func).filter(|m| {
                object.kind() == "identifier"
                    && self_param(ctx, m.func).as_deref() == Some(ctx.text_of(object))
            });
            let Some(method) = method else {
                return Err(format!(
                    "it is stored on another object (`{text}`), which code elsewhere can reach"
                ));
            };
            if ctx.text_of(method.func.child_by_field_name("name").unwrap_or(func)) != "__init__" {
                return Err(format!(
                    "`{text}` is created outside `__init__`, so other methods may run before it exists or after it is replaced"
                ));
            }
            Ok(Owner::Class {
                class: method.class,
                stmt,
                target,
                attr: ctx.text_of(attr).to_owned(),
            })
        }
        _ => Err("it is stored in a container or unpacked".to_owned()),
    }
}

/// A function defined directly in a class body (decorated or not).
#[derive(Clone, Copy)]
pub(super) struct Method<'t> {
    pub(super) func: Node<'t>,
    pub(super) class: Node<'t>,
}

pub(super) fn method_of<'t>(ctx: &Ctx<'t>, func: Node<'t>) -> Option<Method<'t>> {
    let mut up = ctx.parent(func)?;
    if up.kind() == "decorated_definition" {
        up = ctx.parent(up)?;
    }
    let class = ctx
        .parent(up)
        .filter(|c| up.kind() == "block" && c.kind() == "class_definition")?;
    Some(Method { func, class })
}

/// The name of a method's first parameter (`self`), unless it is a static or class method.
pub(super) fn self_param(ctx: &Ctx, func: Node) -> Option<String> {
    if let Some(decorated) = ctx
        .parent(func)
        .filter(|p| p.kind() == "decorated_definition")
    {
        let plain = named_children(decorated)
            .filter(|d| d.kind() == "decorator")
            .any(|d| {
                let text = ctx.text_of(d).trim_start_matches('@').trim();
                matches!(text, "staticmethod" | "classmethod")
            });
        if plain {
            return None;
        }
    }
    let params = func.child_by_field_name("parameters")?;
    let first = named_children(params).find(|p| p.kind() != "comment")?;
    let name = crate::analysis::syntax::parameter_name(first)?;
    Some(ctx.text_of(name).to_owned())
}
